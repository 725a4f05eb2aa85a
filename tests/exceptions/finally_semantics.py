def f():
    try:
        raise ValueError("lost")
    finally:
        return "finally return swallows"
print(f())
def g():
    for i in range(3):
        try:
            return i
        finally:
            if i == 0:
                continue
print(g())
def h():
    try:
        try:
            raise KeyError("a")
        finally:
            raise ValueError("b")
    except ValueError as e:
        return repr(e), repr(e.__context__)
print(h())
def gen_cleanup():
    try:
        yield 1
        yield 2
    finally:
        print("generator finally")
for x in gen_cleanup():
    print(x)
    break
print("loop done")
