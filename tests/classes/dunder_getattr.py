class Proxy:
    def __init__(self, target):
        object.__setattr__(self, "_t", target)
        object.__setattr__(self, "log", [])
    def __getattr__(self, name):
        self.log.append(name)
        return getattr(self._t, name)
    def __setattr__(self, name, value):
        self.log.append("set " + name)
        setattr(self._t, name, value)
    def __delattr__(self, name):
        self.log.append("del " + name)
class T: pass
t = T()
t.a = 1
p = Proxy(t)
print(p.a)
p.b = 2
print(t.b)
del p.a
print(p.log, hasattr(p, "nope"), getattr(p, "nope", "default"))
class Every:
    def __getattribute__(self, name):
        if name == "secret":
            raise AttributeError("hidden")
        if name.startswith("x"):
            return name.upper()
        return object.__getattribute__(self, name)
    def __getattr__(self, name):
        return "fallback " + name
    def real(self): return "real"
e = Every()
print(e.xyz, e.real(), e.secret, e.other)
print(getattr(e, "xa"), hasattr(e, "secret"))
class Dir:
    def __dir__(self): return ["b", "a"]
print(dir(Dir()))
