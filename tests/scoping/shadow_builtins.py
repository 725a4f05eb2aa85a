print(len("abc"))
len = lambda x: 42
print(len("abc"))
del len
print(len("abc"))
import builtins
def f():
    return max([3, 1, 2])
builtins.max = min
print(f())
del builtins.max
