# AttributeError messages of properties name the owner by its qualified name.
class A:
    class B:
        p = property()
        q = property(lambda self: 1)

def f():
    class Local:
        r = property()
    return Local

for obj, name in [(A.B(), "p"), (A.B(), "q"), (f()(), "r")]:
    for action in ("get", "set", "del"):
        try:
            if action == "get":
                getattr(obj, name)
            elif action == "set":
                setattr(obj, name, 1)
            else:
                delattr(obj, name)
            print(action, name, "ok")
        except AttributeError as e:
            print(action, name, e)
