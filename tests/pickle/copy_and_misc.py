# copy/deepcopy still work with the accelerator in place; module surface.
import copy
import copyreg
import io
import pickle
import _pickle


class Node:
    def __init__(self, v):
        self.v = v
        self.children = []


root = Node(1)
root.children.append(Node(2))
root.children.append(root)
c = copy.deepcopy(root)
print(c is not root, c.v, c.children[0].v, c.children[1] is c)
s = copy.copy(root)
print(s.children is root.children)
print(copy.deepcopy({"a": [1, (2, 3)], "b": {4}}))
print(copy.copy([].append.__self__), copy.deepcopy(len) is len)
print(pickle.Pickler is _pickle.Pickler, pickle.Unpickler is _pickle.Unpickler)
print(pickle.dumps is _pickle.dumps, pickle.loads is _pickle.loads)
print(pickle.PickleError is _pickle.PickleError, pickle.PicklingError is _pickle.PicklingError)
print(issubclass(pickle.UnpicklingError, pickle.PickleError))
print(sorted(n for n in dir(_pickle) if not n.startswith("__") and n != "PickleBuffer"))
print([].append.__reduce__()[1][1], len.__reduce__(), Ellipsis.__reduce__(), NotImplemented.__reduce__())
print(type.__module__, type(None).__module__)


# Subclasses can add attributes and keep the base behaviour.
class Counting(pickle.Pickler):
    def __init__(self, f, proto):
        super().__init__(f, proto)
        self.count = 0

    def persistent_id(self, obj):
        self.count += 1
        return None


f = io.BytesIO()
cp = Counting(f, 2)
cp.dump([1, [2, 3], "x"])
print(cp.count, f.getvalue())
print(pickle.loads(f.getvalue()))

# Python-2 pickles with fix_imports and encodings.
py2 = b"c__builtin__\nxrange\n(I0\nI3\nI1\ntR."
print(pickle.loads(py2))
try:
    pickle.loads(py2, fix_imports=False)
except Exception as e:
    print(type(e).__name__, e)
print(pickle.dumps(ConnectionError, 2), pickle.dumps(ConnectionError, 2, fix_imports=False))
print(pickle.dumps(range, 0), pickle.dumps(set, 1), pickle.dumps(io.StringIO, 2))
print(pickle.loads(b"U\x02\xc3\xa9.", encoding="utf-8"), pickle.loads(b"U\x02\xc3\xa9.", encoding="latin1"))
try:
    pickle.loads(b"U\x02\xc3\xa9.")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError", e)
print(pickle.loads(b"U\x02\xc3\xa9.", errors="replace"))


# Exceptions, bound methods and method descriptors.
class MyError(Exception):
    pass


class Holder:
    def method(self):
        return "called"


def make_global():
    global MadeGlobal

    class MadeGlobal:
        class Inner:
            pass

    return MadeGlobal


make_global()
e = MyError("boom", 2)
e.extra = "attr"
for proto in range(6):
    r = pickle.loads(pickle.dumps(e, proto))
    print(proto, type(r).__name__, r.args, r.extra)
    r = pickle.loads(pickle.dumps([ValueError("v"), KeyError("k")], proto))
    print(proto, [type(x).__name__ for x in r], [x.args for x in r])
    print(pickle.loads(pickle.dumps(Holder().method, proto))())
    print(pickle.loads(pickle.dumps(str.upper, proto))("up"), pickle.loads(pickle.dumps("abc".index, proto))("c"))
    print(pickle.dumps(MadeGlobal.Inner, proto))
print(MadeGlobal.__qualname__, MadeGlobal.Inner.__qualname__)
print(copy.deepcopy(e).args, copy.copy(e).extra)
