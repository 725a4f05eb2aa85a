# classmethod/staticmethod copy the wrapped function's attributes into
# their own __dict__ (3.10+); property subclasses keep the getter's doc in
# the instance dict; `__iter__ = None`; keywords of list/set/frozenset
# subclasses; weak references to sets; generic-alias and super messages.
import weakref


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


def f(x: int) -> int:
    "f doc"
    return x


for kind in (classmethod, staticmethod):
    w = kind(f)
    print(kind.__name__, w.__wrapped__ is f, w.__func__ is f, w.__doc__, w.__name__, w.__qualname__,
          w.__module__, w.__annotations__, sorted(w.__dict__))
    w.__final__ = True
    print(w.__final__, "__final__" in w.__dict__)
    w2 = kind(len)
    print(sorted(w2.__dict__), w2.__doc__ == len.__doc__)


class Sub(classmethod):
    pass


print(sorted(Sub(f).__dict__), Sub(f).__doc__)


class C:
    @staticmethod
    def s(a, b=2):
        "static doc"
        return a + b

    @classmethod
    def c(cls):
        "class doc"
        return cls.__name__


print(C.__dict__["s"].__doc__, C.__dict__["c"].__doc__, C.s(1), C.c(), C().c())
print(C.__dict__["s"].__name__, C.__dict__["c"].__qualname__)


class PropertySub(property):
    """This is a subclass of property"""


class PropertySubSlots(property):
    """This is a subclass of property that defines __slots__"""
    __slots__ = ()


class Foo:
    def __init__(self):
        self._spam = 1

    @PropertySub
    def spam(self):
        """spam wrapped in property subclass"""
        return self._spam

    @spam.setter
    def spam(self, value):
        """this docstring is ignored"""
        self._spam = value


foo = Foo()
foo.spam = 2
print(foo.spam, Foo.spam.__doc__, "__doc__" in Foo.__dict__["spam"].__dict__)


class Foo2:
    @PropertySub
    def spam(self):
        """a docstring"""
        return 1

    @spam.getter
    def spam(self):
        """a new docstring"""
        return 2


print(Foo2.spam.__doc__, Foo2().spam)


def make_slots():
    class Foo3:
        @PropertySubSlots
        def spam(self):
            """Trying to copy this docstring will raise an exception"""
            return 1
    return Foo3


show("slots subclass", make_slots)


class BaseClass:
    @property
    def spam(self):
        """BaseClass.getter"""
        return 1

    @spam.setter
    def spam(self, value):
        pass


class SubClass(BaseClass):
    @BaseClass.spam.getter
    def spam(self):
        """SubClass.getter"""
        return 2


print(BaseClass.spam.__doc__, SubClass.spam.__doc__)
p = property(lambda self: 1, doc="explicit")
print(p.setter(lambda s, v: None).__doc__, p.getter(lambda s: 2).__doc__)
for args in [(), (1,), (1, 2, 3)]:
    show("__set_name__%r" % (args,), lambda: property().__set_name__(*args))


class NotIterable:
    __iter__ = None


show("iter None", lambda: iter(NotIterable()))
show("list None", lambda: list(NotIterable()))
show("for None", lambda: [x for x in NotIterable()])


class SubList(list):
    pass


show("list sub kw", lambda: SubList(sequence=()))


class ListNew(list):
    def __new__(cls, seq, newarg=None):
        self = super().__new__(cls, seq)
        self.newarg = newarg
        return self


u = ListNew([1, 2], newarg=3)
print(type(u).__name__, list(u), u.newarg)


class ListInit(list):
    def __init__(self, seq, newarg=None):
        super().__init__(seq)
        self.newarg = newarg


u = ListInit([1, 2], newarg=3)
print(list(u), u.newarg)
show("list kw", lambda: list(sequence=()))


class SetNew(set):
    def __new__(cls, arg, newarg=None):
        self = super().__new__(cls, arg)
        self.newarg = newarg
        return self


u = SetNew([1, 2])
print(sorted(u), u.newarg)
show("set new kw", lambda: SetNew([1, 2], newarg=3))
show("set kw", lambda: set(iterable=()))


class FrozenSub(frozenset):
    pass


show("frozenset sub kw", lambda: FrozenSub(sequence=()))


class FrozenInit(frozenset):
    def __init__(self, arg, newarg=None):
        self.newarg = newarg


u = FrozenInit([1, 2], newarg=3)
print(sorted(u), u.newarg)
show("frozenset kw", lambda: frozenset(iterable=()))

s = {1, 2}
r = weakref.ref(s)
print(r() is s)
fs = frozenset([1])
print(weakref.ref(fs)() is fs)
del s
print(r())

show("list[int][int]", lambda: list[int][int])
show("dict[str, int][int]", lambda: dict[str, int][int])
print((int | str).__module__)
show("super 3 args", lambda: super(int, 1, 2))

raw = property(lambda s: 1)
for attr in ("fget", "fset", "fdel"):
    show("set " + attr, lambda: setattr(raw, attr, 42))
    show("del " + attr, lambda: delattr(raw, attr))
raw.__doc__ = 42
print(raw.__doc__)


class Docs:
    "doc"


for n in ("__doc__", "__module__"):
    show("del " + n, lambda: delattr(Docs, n))
show("set list doc", lambda: type.__dict__["__doc__"].__set__(list, "blah"))
Docs.__doc__ = "banana"
print(Docs.__doc__)
