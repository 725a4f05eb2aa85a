# __annotations__ on modules, classes and functions.

x: int = 1
y: "a string annotation"
print(__annotations__)

def f(a: int, b: "str" = "s", *args: float, c: bool = True, **kw: dict) -> None:
    local: int = 5
    return local

print(f.__annotations__)
print(f(1))

def g(a, b):
    pass

print(g.__annotations__)

class C:
    attr: int
    other: str = "v"
    __private: float

    def method(self, n: int) -> str:
        return str(n)

print(C.__annotations__)
print(C.other)
print(C.method.__annotations__)

evaluated = []

def note(v):
    evaluated.append(v)
    return v

z: note("module level") = 3
print(evaluated)

def in_function():
    w: note("not evaluated in functions") = 1
    return w

in_function()
print(evaluated)

class Obj:
    pass

o = Obj()
o.attr: note("attribute target") = 7
print(o.attr, evaluated)
