# Hidden classes (shapes) of instances and the attribute caches keyed on
# them: every site below runs warm (loops) and then sees another shape, a
# dict-mode instance, or a class change, and must not use a stale entry.


class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def get_x(o):
    return o.x


def get_y(o):
    return o.y


def set_x(o, v):
    o.x = v


# Same attributes, different orders: two shapes at one site.
class Q:
    pass


def make_q(order):
    q = Q()
    for name in order:
        setattr(q, name, name.upper())
    return q


def orders():
    qs = [make_q("ab"), make_q("ba"), make_q("abc"), make_q("cab"), make_q("b")]
    out = []
    for _ in range(3):
        for q in qs:
            out.append(q.a if hasattr(q, "a") else "-")
            out.append(q.b)
    print("orders", "".join(out))
    print("dicts", [vars(q) for q in qs])


def warm_then_other_shapes():
    ps = [P(i, -i) for i in range(50)]
    print("warm", sum(get_x(p) for p in ps), sum(get_y(p) for p in ps))
    odd = P.__new__(P)
    odd.y = "y-first"
    odd.x = "x-second"
    print("other order", get_x(odd), get_y(odd), list(vars(odd)))
    for p in ps[:5]:
        set_x(p, p.x * 10)
    set_x(odd, "x-set")
    print("after stores", [p.x for p in ps[:6]], odd.x, odd.y)
    empty = P.__new__(P)
    try:
        get_x(empty)
    except AttributeError as e:
        print(type(e).__name__, e)
    set_x(empty, 5)
    print("set on empty", get_x(empty), vars(empty))


def deletes():
    ps = [P(i, i + 1) for i in range(10)]
    for p in ps:
        get_x(p)
    del ps[3].x
    try:
        get_x(ps[3])
    except AttributeError as e:
        print(type(e).__name__, e)
    print("deleted", get_y(ps[3]), vars(ps[3]))
    ps[3].x = "back"
    print("re-added", get_x(ps[3]), list(vars(ps[3])))
    del ps[4].y
    del ps[4].x
    print("all deleted", vars(ps[4]))
    try:
        del ps[4].x
    except AttributeError as e:
        print(type(e).__name__, e)
    p = P(1, 2)
    try:
        del p.z
    except AttributeError as e:
        print(type(e).__name__, e)
    print("others intact", [get_x(p) for p in ps if p is not ps[4]], [get_y(p) for p in ps if p is not ps[4]])


def dict_written_directly():
    ps = [P(i, i) for i in range(10)]
    for _ in range(3):
        for p in ps:
            get_x(p)
    d = ps[0].__dict__
    print("same dict", d is ps[0].__dict__, d is vars(ps[0]))
    d["x"] = "via dict"
    d["new"] = "added via dict"
    print("live from dict", get_x(ps[0]), ps[0].new)
    ps[0].x = "via attr"
    set_x(ps[0], "via site")
    ps[0].z = 3
    print("live into dict", d)
    d.clear()
    print("cleared", hasattr(ps[0], "x"), vars(ps[0]))
    ps[1].__dict__ = {"x": "replaced"}
    print("replaced dict", get_x(ps[1]), hasattr(ps[1], "y"), vars(ps[1]))
    ps[1].__dict__.update(y=9)
    print("update", get_y(ps[1]))
    try:
        ps[2].__dict__ = 5
    except TypeError as e:
        print(type(e).__name__, e)

    class D(dict):
        pass

    ps[2].__dict__ = D(x="subclass dict")
    print("dict subclass", get_x(ps[2]), type(ps[2].__dict__).__name__)
    del ps[3].__dict__
    print("del __dict__", vars(ps[3]), hasattr(ps[3], "x"))
    ps[3].x = 1
    print("after del", vars(ps[3]))
    print("rest", [get_x(p) for p in ps[4:]])


def descriptor_added_after_warmup():
    class C:
        def __init__(self):
            self.v = "instance"

    cs = [C() for _ in range(5)]

    def read(o):
        return o.v

    print("before", [read(c) for c in cs])

    class Data:
        def __get__(self, obj, cls):
            return "data descriptor"

        def __set__(self, obj, value):
            print("descriptor set", value)

    C.v = Data()
    print("after", [read(c) for c in cs])
    cs[0].v = "again"
    print("dict keeps", vars(cs[0]))
    del C.v
    print("removed", [read(c) for c in cs])

    # A non-data class attribute shadowed by the instance, then not.
    class E:
        label = "class"

        def method(self):
            return "method"

    es = [E() for _ in range(5)]

    def lab(o):
        return o.label, o.method()

    print([lab(e) for e in es])
    es[2].label = "own"
    es[3].method = lambda: "own method"
    print([lab(e) for e in es])
    del es[2].label
    print([lab(e) for e in es])


def class_switch():
    class A:
        def who(self):
            return "A"

    class B:
        x = "B.x"

        def who(self):
            return "B"

        @property
        def y(self):
            return "B.y property"

    objs = [A() for _ in range(5)]
    for i, o in enumerate(objs):
        o.x = i
        o.y = -i

    def show(o):
        return o.who(), o.x, o.y

    print([show(o) for o in objs])
    objs[1].__class__ = B
    print([show(o) for o in objs])
    try:
        objs[1].y = 3
    except AttributeError as e:
        print(type(e).__name__)
    objs[1].x = "own x"
    print(show(objs[1]), vars(objs[1]))
    objs[1].__class__ = A
    print(show(objs[1]))


def many_attributes():
    class M:
        pass

    ms = [M() for _ in range(3)]
    for m in ms:
        for i in range(200):
            setattr(m, "a%d" % i, i)
    print("many", sum(getattr(ms[1], "a%d" % i) for i in range(200)), len(vars(ms[2])))
    print(list(vars(ms[0]))[:5], list(vars(ms[0]))[-2:])
    m = M()
    for i in range(200):
        setattr(m, "b%d" % (i % 7), i)
    print(vars(m))


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1


class SlottedDict:
    __slots__ = ("a", "__dict__")

    def __init__(self):
        self.a = 1
        self.b = 2


def slots():
    s = Slotted()
    try:
        s.c = 3
    except AttributeError as e:
        print(type(e).__name__, e)
    try:
        s.b
    except AttributeError as e:
        print(type(e).__name__, e)
    for _ in range(5):
        s.b = s.a + 1
    print("slots", s.a, s.b, hasattr(s, "__dict__"))
    t = SlottedDict()
    for _ in range(5):
        t.c = t.a + t.b
    print("slots+dict", t.a, t.b, t.c, vars(t))


def slot_members_cached():
    class V:
        __slots__ = ("x", "y")

        def __init__(self, x, y):
            self.x = x
            self.y = y

    class W(V):
        __slots__ = ("z",)

        def __init__(self):
            super().__init__(1, 2)
            self.z = 3

    def rd(o):
        return o.x + o.y

    def wr(o, v):
        o.x = v

    vs = [V(i, i) for i in range(10)] + [W() for _ in range(3)]
    for o in vs:
        wr(o, rd(o))
    print("members", [o.x for o in vs])
    del vs[0].x
    try:
        rd(vs[0])
    except AttributeError as e:
        print(type(e).__name__, e)
    wr(vs[0], 7)
    print("restored", rd(vs[0]))

    class Other:
        __slots__ = ("x",)

    V.x = Other.__dict__["x"]
    try:
        rd(vs[1])
    except TypeError as e:
        print(type(e).__name__, e)
    try:
        wr(vs[1], 1)
    except TypeError as e:
        print(type(e).__name__, e)
    V.x = property(lambda self: "prop", lambda self, v: print("prop set", v))
    print("property now", rd.__name__, vs[2].x)
    wr(vs[2], 5)


def getattr_hooks():
    class G:
        def __init__(self):
            self.real = 1

        def __getattr__(self, name):
            return "fallback " + name

    gs = [G() for _ in range(4)]

    def read(o):
        return o.real, o.missing

    print([read(g) for g in gs])
    del gs[0].real
    print(read(gs[0]))

    class H:
        def __init__(self):
            self.x = 1

        def __getattribute__(self, name):
            if name == "x":
                return "intercepted"
            return object.__getattribute__(self, name)

    print([H().x for _ in range(3)], object.__getattribute__(H(), "x"))


def odd_names():
    class S(str):
        pass

    class O:
        pass

    o = O()
    o.plain = 1
    setattr(o, S("sub"), 2)
    print(o.sub, vars(o), getattr(o, S("plain")))
    o2 = O()
    o2.__dict__[1] = "int key"
    o2.z = 3
    print(vars(o2))


def copying():
    import copy
    import pickle

    p = P([1], {"k": 2})
    p.extra = "e"
    q = copy.copy(p)
    r = copy.deepcopy(p)
    print("copy", vars(q), q.x is p.x, vars(r), r.x is p.x)
    s = pickle.loads(pickle.dumps(p))
    print("pickle", vars(s), type(s).__name__)
    print("reduce", p.__reduce_ex__(2)[2] is p.__dict__)
    e = P.__new__(P)
    print("empty reduce", e.__reduce_ex__(2)[2])


def gc_and_weakrefs():
    import gc
    import weakref

    class N:
        pass

    a = N()
    b = N()
    a.other = b
    b.other = a
    a.payload = [a]
    wa = weakref.ref(a)
    del a, b
    gc.collect()
    print("collected", wa() is None)

    class Fin:
        def __del__(self):
            print("del ran")

    c = N()
    c.f = Fin()
    c.f = None
    print("replaced")


def sizes():
    import sys

    class Z:
        pass

    z = Z()
    before = sys.getsizeof(z)
    z.a = 1
    z.b = 2
    print("getsizeof stable", sys.getsizeof(z) == before)


orders()
warm_then_other_shapes()
deletes()
dict_written_directly()
descriptor_added_after_warmup()
class_switch()
many_attributes()
slots()
slot_members_cached()
getattr_hooks()
odd_names()
copying()
gc_and_weakrefs()
sizes()
