class Plugin:
    registry = []
    def __init_subclass__(cls, /, name=None, **kw):
        super().__init_subclass__(**kw)
        cls.plugin_name = name or cls.__name__.lower()
        Plugin.registry.append(cls.plugin_name)
class A(Plugin, name="alpha"): pass
class B(Plugin): pass
class C(B, name="gamma"): pass
print(Plugin.registry, C.plugin_name)
try:
    class D(Plugin, bogus=1): pass
except TypeError as e:
    print(e)
class Field:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
        self.name = name
class Model:
    a = Field()
    b = Field()
print(Model.a.name, Model.b.name)
f = Field()
class Late: pass
Late.x = f
print(hasattr(f, "name"))
