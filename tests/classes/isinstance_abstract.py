# isinstance/issubclass with objects that act as classes through
# __bases__ and __class__ (CPython's abstract_issubclass), and the
# recursion guards.
import sys


class AbstractClass:
    def __init__(self, bases):
        self.bases = bases

    def getbases(self):
        return self.bases
    __bases__ = property(getbases)

    def __call__(self):
        return AbstractInstance(self)


class AbstractInstance:
    def __init__(self, klass):
        self.klass = klass

    def getclass(self):
        return self.klass
    __class__ = property(getclass)


AbstractSuper = AbstractClass(bases=())
AbstractChild = AbstractClass(bases=(AbstractSuper,))
Other = AbstractClass(bases=(AbstractSuper, AbstractChild))


def show(f, *args):
    try:
        print(f.__name__, f(*args))
    except RecursionError:
        print(f.__name__, "RecursionError")
    except Exception as e:
        print(f.__name__, type(e).__name__, e)


show(isinstance, AbstractChild(), AbstractSuper)
show(isinstance, AbstractSuper(), AbstractChild)
show(isinstance, AbstractChild(), AbstractChild)
show(issubclass, AbstractChild, AbstractSuper)
show(issubclass, AbstractSuper, AbstractChild)
show(issubclass, Other, AbstractChild)
show(issubclass, AbstractChild, (int, AbstractSuper))
show(issubclass, AbstractChild, int)
show(issubclass, int, AbstractChild)
show(isinstance, 3, AbstractChild)
show(isinstance, AbstractChild(), int)
show(issubclass, 3, int)
show(issubclass, int, 3)
show(isinstance, 3, 3)


class NoBases:
    pass


show(isinstance, 3, NoBases())
show(issubclass, NoBases(), int)


class RaisingBases:
    @property
    def __bases__(self):
        raise RuntimeError("bases")


show(isinstance, 3, RaisingBases())
show(issubclass, RaisingBases(), int)


class AttrErrorBases:
    @property
    def __bases__(self):
        raise AttributeError


show(isinstance, 3, AttrErrorBases())
show(issubclass, AttrErrorBases(), int)


class NotTupleBases:
    __bases__ = [int]


show(issubclass, NotTupleBases(), int)


class Cyclic:
    @property
    def __bases__(self):
        return (self, self, self)


show(issubclass, Cyclic(), int)


class Single:
    @property
    def __bases__(self):
        return (int,)


show(issubclass, Single(), int)
show(issubclass, Single(), str)

nested = (str,)
for _ in range(sys.getrecursionlimit() + 5):
    nested = (nested,)
show(isinstance, "", nested)
show(issubclass, str, nested)
print(isinstance("", (((str,),),)), issubclass(bool, ((int,),)))
