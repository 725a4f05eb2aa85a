def f():
    return later()
def later():
    return "found at call time"
print(f())
x = 1
def g():
    return x
x = 2
print(g())
def h():
    try:
        return y
    except NameError as e:
        return str(e)
print(h())
