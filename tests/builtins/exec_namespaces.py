# exec/eval with custom globals, builtins and locals mappings; dir() of
# mapping locals; module subclasses overriding __dict__; input() with a
# stdout that cannot flush; relative-import package resolution.
import io
import sys
import types
import warnings

code = compile("print('Hello World!')", "", "exec")
for b in [123, [], "x"]:
    try:
        exec(code, {'__builtins__': b})
    except Exception as e:
        print(type(e).__name__, e)
exec(code, {'__builtins__': {'print': lambda *a: sys.stdout.write("custom %r\n" % (a,))}})
try:
    exec(code, {'__builtins__': {}})
except NameError as e:
    print(type(e).__name__, e)

class_code = compile("class A: pass", "", "exec")
class frozendict(dict):
    def __setitem__(self, k, v):
        raise KeyError("read-only")
for b in [{}, frozendict(), frozendict(__builtins__.__dict__ if isinstance(__builtins__, types.ModuleType) else __builtins__)]:
    try:
        ns = {'__builtins__': b}
        exec(class_code, ns)
        print("class built", type(ns['A']).__name__)
    except Exception as e:
        print(type(e).__name__, e)

class setonlyerror(Exception):
    pass
class setonlydict(dict):
    def __getitem__(self, key):
        raise setonlyerror("getitem " + key)
for g in [setonlydict({'globalname': 1}), {'__builtins__': setonlydict({'globalname': 1})}]:
    try:
        exec("globalname", g)
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)

class Defaulting(dict):
    def __missing__(self, key):
        return "missing " + key
    def __getitem__(self, key):
        if key == "special":
            return "special value"
        return dict.__getitem__(self, key)
def uses_globals():
    return special, len
g = Defaulting(__builtins__=__builtins__)
exec("def f():\n    return special, other\n", g)
try:
    print(g["f"]())
except Exception as e:
    print(type(e).__name__, e)

class Foo(types.ModuleType):
    __dict__ = 8
try:
    dir(Foo("foo"))
except Exception as e:
    print(type(e).__name__, e)
print(Foo("foo").__dict__)
print(sorted(types.ModuleType("m").__dict__))

class D(dict):
    def __getitem__(self, key):
        if key == 'a':
            return 12
        return dict.__getitem__(self, key)
    def keys(self):
        return list('zyx')
print(eval('a', {}, D()), eval('dir()', {}, D()))
print(eval('dir()', {}, {'b': 1, 'a': 2}))
class KeysIter:
    def __getitem__(self, k):
        raise KeyError(k)
    def keys(self):
        return iter(["q", "p"])
print(eval('dir', {}, KeysIter()) is dir)

class BitBucket:
    def write(self, line):
        pass
saved = sys.stdin, sys.stdout
try:
    sys.stdin = io.StringIO("first\nsecond line\n")
    sys.stdout = BitBucket()
    a = input()
    b = input("prompt")
    sys.stdin = io.StringIO()
    try:
        input()
    except EOFError as e:
        c = (type(e).__name__, str(e))
finally:
    sys.stdin, sys.stdout = saved
print(a, b, c)

with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    try:
        __import__('', {'__package__': None, '__spec__': None, '__name__': '__main__'}, {}, ('foo',), 1)
    except ImportError as e:
        print(type(e).__name__, e)
    class Spec:
        parent = "json"
    m = __import__('decoder', {'__package__': None, '__spec__': Spec(), '__name__': 'x'}, {}, ('x',), 1)
    print(m.__name__)
    m = __import__('decoder', {'__package__': 'json', '__spec__': Spec(), '__name__': 'x'}, {}, ('x',), 1)
    print(m.__name__)
    class OtherSpec:
        parent = "email"
    m = __import__('decoder', {'__package__': 'json', '__spec__': OtherSpec(), '__name__': 'x'}, {}, ('x',), 1)
    print(m.__name__)
    class BadSpec:
        parent = 3
    try:
        __import__('decoder', {'__package__': None, '__spec__': BadSpec(), '__name__': 'x'}, {}, ('x',), 1)
    except TypeError as e:
        print(type(e).__name__, e)
    try:
        __import__('decoder', {'__package__': 5, '__name__': 'x'}, {}, ('x',), 1)
    except TypeError as e:
        print(type(e).__name__, e)
print([(x.category.__name__, str(x.message)) for x in w])
