class Temp:
    def __init__(self): self._c = 0
    @property
    def c(self):
        "celsius"
        return self._c
    @c.setter
    def c(self, v):
        print("set", v)
        self._c = v
    @c.deleter
    def c(self):
        print("deleted")
    @property
    def f(self):
        return self._c * 9 / 5 + 32
t = Temp()
t.c = 100
print(t.c, t.f, Temp.c.__doc__, type(Temp.c).__name__)
del t.c
try:
    t.f = 1
except AttributeError as e:
    print(e)
class Verbose:
    def __set_name__(self, owner, name):
        self.name = name
    def __get__(self, obj, objtype=None):
        if obj is None:
            return "class access " + self.name
        return obj.__dict__.get("_" + self.name, "unset")
    def __set__(self, obj, value):
        obj.__dict__["_" + self.name] = value * 2
class Host:
    attr = Verbose()
h = Host()
print(Host.attr, h.attr)
h.attr = 21
print(h.attr, h.__dict__)
class NonData:
    def __get__(self, obj, t=None): return "nondata"
class H2:
    nd = NonData()
h2 = H2()
print(h2.nd)
h2.__dict__["nd"] = "instance wins"
print(h2.nd)
