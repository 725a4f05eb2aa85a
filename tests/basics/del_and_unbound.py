x = 1
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
def f():
    y = 1
    del y
    try:
        return y
    except UnboundLocalError as e:
        return "UnboundLocalError: " + str(e)
print(f())
def g():
    print(z)
    z = 2
try:
    g()
except UnboundLocalError as e:
    print(type(e).__name__, e)
