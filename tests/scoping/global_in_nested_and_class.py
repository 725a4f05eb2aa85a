counter = 0
class C:
    global counter
    counter += 10
def f():
    def g():
        global counter
        counter += 1
    g()
    return counter
print(counter, f())
x = "module"
def outer():
    x = "enclosing"
    class Inner:
        y = x
        def m(self): return x
    return Inner.y, Inner().m()
print(outer())
def h():
    global undefined_yet
    return "undefined_yet" in globals()
print(h())
