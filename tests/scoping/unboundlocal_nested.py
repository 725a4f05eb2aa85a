def outer():
    v = 1
    def inner():
        v += 1
        return v
    return inner
try:
    outer()()
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
def free():
    def inner():
        return w
    try:
        inner()
    except NameError as e:
        print(type(e).__name__ + ":", e)
    w = 1
free()
