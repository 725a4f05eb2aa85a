# Classes: __reduce__, __reduce_ex__, __getstate__/__setstate__, __slots__,
# __getnewargs__/__getnewargs_ex__, copyreg, Pickler subclasses with
# persistent_id/persistent_load, dispatch_table, reducer_override, find_class.
import copyreg
import io
import pickle


class Plain:
    def __init__(self, a=1):
        self.a = a
        self.b = [a, "x"]

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__


class WithState(Plain):
    def __getstate__(self):
        return {"a": self.a * 10}

    def __setstate__(self, state):
        self.a = state["a"] + 1
        self.b = "restored"


class Slots:
    __slots__ = ("x", "y")

    def __init__(self):
        self.x = 1


class SlotsAndDict(Slots):
    def __init__(self):
        super().__init__()
        self.z = 3


class Reduced:
    def __init__(self, v):
        self.v = v

    def __reduce__(self):
        return (Reduced, (self.v,))


class ReducedState:
    def __reduce__(self):
        return (ReducedState, (), {"k": 1}, iter([1, 2]), iter([("a", "b")]))

    def extend(self, items):
        self.items = list(items)

    def __setitem__(self, k, v):
        self.d = (k, v)


class NewArgs(int):
    def __new__(cls, v, extra):
        o = super().__new__(cls, v)
        o.extra = extra
        return o

    def __getnewargs__(self):
        return (int(self), self.extra)


class NewArgsEx:
    def __new__(cls, *args, **kw):
        o = super().__new__(cls)
        o.args = args
        o.kw = kw
        return o

    def __getnewargs_ex__(self):
        return (self.args, self.kw)


class Global:
    def __reduce__(self):
        return "GLOBAL_INSTANCE"


GLOBAL_INSTANCE = Global()


class Outer:
    class Inner:
        pass


def setter(obj, state):
    obj.via_setter = state


class WithSetter:
    def __reduce__(self):
        return (WithSetter, (), "S", None, None, setter)


for proto in range(6):
    print("protocol", proto)
    p = Plain(5)
    print(pickle.dumps(p, proto))
    print(pickle.loads(pickle.dumps(p, proto)) == p)
    w = WithState(2)
    r = pickle.loads(pickle.dumps(w, proto))
    print(pickle.dumps(w, proto), r.a, r.b)
    s = Slots()
    if proto >= 2:
        r = pickle.loads(pickle.dumps(s, proto))
        print(pickle.dumps(s, proto), r.x, hasattr(r, "y"))
        sd = SlotsAndDict()
        r = pickle.loads(pickle.dumps(sd, proto))
        print(pickle.dumps(sd, proto), r.x, r.z)
    else:
        try:
            pickle.dumps(s, proto)
        except TypeError as e:
            print("TypeError", e)
    r = pickle.loads(pickle.dumps(Reduced([1, 2]), proto))
    print(pickle.dumps(Reduced([1, 2]), proto), r.v)
    r = pickle.loads(pickle.dumps(ReducedState(), proto))
    print(pickle.dumps(ReducedState(), proto), r.items, r.d, r.k)
    n = NewArgs(7, "e")
    r = pickle.loads(pickle.dumps(n, proto))
    print(pickle.dumps(n, proto), r, r.extra)
    x = NewArgsEx(1, 2, key="v")
    if proto >= 2:
        r = pickle.loads(pickle.dumps(x, proto))
        print(pickle.dumps(x, proto), r.args, r.kw)
    print(pickle.dumps(GLOBAL_INSTANCE, proto), pickle.loads(pickle.dumps(GLOBAL_INSTANCE, proto)) is GLOBAL_INSTANCE)
    print(pickle.dumps(Outer.Inner, proto), pickle.loads(pickle.dumps(Outer.Inner, proto)) is Outer.Inner)
    r = pickle.loads(pickle.dumps(WithSetter(), proto))
    print(pickle.dumps(WithSetter(), proto), r.via_setter)
    # An object referenced twice and a recursive instance.
    p = Plain(1)
    p.me = p
    r = pickle.loads(pickle.dumps([p, p], proto))
    print(r[0] is r[1], r[0].me is r[0])


# copyreg: a reduction function and the extension registry.
class Registered:
    def __init__(self, v):
        self.v = v


def reduce_registered(o):
    return (Registered, (o.v * 2,))


copyreg.pickle(Registered, reduce_registered)
for proto in range(6):
    print(pickle.dumps(Registered(3), proto), pickle.loads(pickle.dumps(Registered(3), proto)).v)
copyreg.add_extension(__name__, "Plain", 240)
copyreg.add_extension(__name__, "Slots", 0x1234)
copyreg.add_extension(__name__, "Reduced", 0x123456)
for proto in range(6):
    print(proto, pickle.dumps([Plain, Slots, Reduced], proto))
    print(pickle.loads(pickle.dumps([Plain, Slots, Reduced], proto)) == [Plain, Slots, Reduced])
copyreg.remove_extension(__name__, "Plain", 240)
copyreg.remove_extension(__name__, "Slots", 0x1234)
copyreg.remove_extension(__name__, "Reduced", 0x123456)


# Pickler subclasses.
class PersPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, str) and obj.startswith("ext:"):
            return obj[4:]
        return None


class PersUnpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        return "loaded " + pid


for proto in range(6):
    f = io.BytesIO()
    PersPickler(f, proto).dump(["ext:one", "plain", ("ext:two", 3)])
    print(proto, f.getvalue())
    f.seek(0)
    print(PersUnpickler(f).load())

# persistent_id set as an attribute.
f = io.BytesIO()
pk = pickle.Pickler(f, 2)
pk.persistent_id = lambda o: "I" if o == 42 else None
pk.dump([1, 42])
print(f.getvalue())
f.seek(0)
up = pickle.Unpickler(f)
up.persistent_load = lambda pid: ("pid", pid)
print(up.load())


class TablePickler(pickle.Pickler):
    dispatch_table = {Plain: lambda o: (str, ("from table",))}


f = io.BytesIO()
TablePickler(f, 3).dump([Plain(), Reduced(1)])
print(f.getvalue(), pickle.loads(f.getvalue())[0])

f = io.BytesIO()
pk = pickle.Pickler(f, 3)
pk.dispatch_table = copyreg.dispatch_table.copy()
pk.dispatch_table[Reduced] = lambda o: (list, ((o.v,),))
pk.dump(Reduced(9))
print(f.getvalue(), pickle.loads(f.getvalue()))


class OverridePickler(pickle.Pickler):
    def reducer_override(self, obj):
        if obj is Plain:
            return (str, ("Plain-class",))
        if isinstance(obj, float):
            return (str, ("a float",))  # never reached: floats are atoms
        return NotImplemented


f = io.BytesIO()
OverridePickler(f, 4).dump([Plain, 1.5, Reduced(2)])
print(f.getvalue())
print(pickle.loads(f.getvalue())[:2])


class Restricted(pickle.Unpickler):
    def find_class(self, module, name):
        if name == "Plain":
            raise pickle.UnpicklingError("forbidden " + module + "." + name)
        return super().find_class(module, name)


for proto in (0, 2, 4):
    try:
        Restricted(io.BytesIO(pickle.dumps(Plain(), proto))).load()
    except pickle.UnpicklingError as e:
        print("UnpicklingError", e)
    print(Restricted(io.BytesIO(pickle.dumps(Reduced(1), proto))).load().v)

# The memo proxies.
f = io.BytesIO()
pk = pickle.Pickler(f, 2)
obj = ["a"]
pk.dump(obj)
memo = pk.memo.copy()
print(type(pk.memo).__name__, sorted(v[0] for v in memo.values()))
pk.memo.clear()
print(pk.memo.copy())
pk.memo = {id(obj): (0, obj)}
pk.dump(obj)
print(f.getvalue())
up = pickle.Unpickler(io.BytesIO(pickle.dumps([1, 2], 2)))
up.load()
print(type(up.memo).__name__, up.memo.copy())
up.memo = {0: "zero"}
print(up.memo.copy())
print(pickle.Pickler(io.BytesIO()).fast, pickle.Pickler(io.BytesIO(), 0).bin, pickle.Pickler(io.BytesIO(), 1).bin)
fp = pickle.Pickler(io.BytesIO(), 2)
fp.fast = 1
print(fp.fast)
x = ["fast"]
fp.dump([x, x])
