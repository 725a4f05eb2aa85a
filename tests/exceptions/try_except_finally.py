def f(x):
    try:
        print("try", x)
        if x == 1:
            raise ValueError("one")
        if x == 2:
            return "returned"
    except ValueError as e:
        print("caught", e)
        return "from except"
    else:
        print("else")
    finally:
        print("finally", x)
print(f(0)); print(f(1)); print(f(2))
def g():
    try:
        return 1
    finally:
        return 2
print(g())
def h():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
        finally:
            print("fin", i)
h()
try:
    try:
        raise KeyError("k")
    finally:
        print("inner finally")
except KeyError as e:
    print("outer", repr(e))
e = "kept?"
try:
    raise TypeError
except TypeError as e:
    pass
try:
    print(e)
except NameError as ne:
    print("NameError:", ne)
