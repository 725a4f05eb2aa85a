# Constructing the built-in types exposed by the types module.
import types


class A:
    def f(self):
        return 1


def g(self, x=2):
    return (type(self).__name__, x)


a = A()
m = types.MethodType(g, a)
print(m(), m.__self__ is a, m.__func__ is g)
print(m == types.MethodType(g, a), hash(m) == hash(types.MethodType(g, a)))
print(types.MethodType(len, [1, 2])())
for args in [(), (g,), (g, None), (1, a), (g, a, 3)]:
    try:
        print(types.MethodType(*args))
    except Exception as e:
        print(type(e).__name__, e)
try:
    types.MethodType(g, a, x=1)
except Exception as e:
    print(type(e).__name__, e)
try:
    class Sub(types.MethodType):
        pass
except Exception as e:
    print(type(e).__name__, e)

# Cells
c = types.CellType()
try:
    c.cell_contents
except Exception as e:
    print(type(e).__name__, e)
c = types.CellType(5)
print(c.cell_contents)
c.cell_contents = 6
print(c.cell_contents)


# Functions
def outer():
    x = 1

    def inner():
        return x

    return inner


inn = outer()
f2 = types.FunctionType(inn.__code__, {}, "newname", None, (types.CellType(42),))
print(f2(), f2.__name__, f2.__qualname__)
f3 = types.FunctionType(g.__code__, globals(), None, (7,))
print(f3(1), f3.__name__, f3.__defaults__)
f4 = types.FunctionType(code=g.__code__, globals={"__name__": "zz"}, argdefs=(1,))
print(f4.__module__, f4(0))
for args in [
    (1, {}),
    (g.__code__, 1),
    (g.__code__, {}, 1),
    (inn.__code__, {}),
    (inn.__code__, {}, None, None, 5),
    (inn.__code__, {}, None, None, ()),
    (inn.__code__, {}, None, None, (1,)),
    (g.__code__, {}, None, None, (types.CellType(),)),
    (g.__code__, {}, None, 5),
    (g.__code__,),
]:
    try:
        types.FunctionType(*args)
        print("ok")
    except Exception as e:
        print(type(e).__name__, e)

# Modules, namespaces, mapping proxies
M = types.ModuleType("mm", "doc")
print(M, M.__doc__)
ns = types.SimpleNamespace(a=1, b=2)
print(ns)
mp = types.MappingProxyType({"a": 1})
print(mp, mp["a"], type(A.__dict__) is types.MappingProxyType)
print("f" in A.__dict__, A.__dict__["f"] is A.f)
try:
    A.__dict__["z"] = 1
except Exception as e:
    print(type(e).__name__, e)
for bad in ([1], (1,), 5):
    try:
        types.MappingProxyType(bad)
    except Exception as e:
        print(type(e).__name__, e)

# Types that cannot be instantiated
for t in [types.GeneratorType, types.CoroutineType, types.FrameType, types.BuiltinFunctionType,
          types.MethodWrapperType, types.WrapperDescriptorType, types.GetSetDescriptorType,
          types.ClassMethodDescriptorType, types.MethodDescriptorType, types.AsyncGeneratorType]:
    try:
        t()
    except Exception as e:
        print(t.__name__, type(e).__name__, e)

# Code objects
co = g.__code__
print(co.replace(co_name="zz").co_name, co.co_stacksize > 0)

# Built-in types that are not acceptable base types
for t in [bool, type(None), types.FunctionType, types.CellType, types.CodeType, types.GeneratorType,
          types.MappingProxyType, range, slice, memoryview, types.BuiltinFunctionType]:
    try:
        type("Sub", (t,), {})
    except TypeError as e:
        print(e)
print(bool.__flags__ & (1 << 10), types.MethodType.__flags__ & (1 << 10), int.__flags__ & (1 << 10))

# The singletons' types return the singletons
for const in None, Ellipsis, NotImplemented:
    tp = type(const)
    print(tp() is const)
    for a, k in (((1, 2), {}), ((), {"a": 1})):
        try:
            tp(*a, **k)
        except TypeError as e:
            print(e)

# Built-in types only have the operator dunders they implement
print(hasattr(1, "__matmul__"), hasattr(1, "__rmatmul__"), hasattr({}, "__and__"), hasattr({}, "__or__"), hasattr([], "__rmul__"))
