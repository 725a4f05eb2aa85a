class A:
    __secret = "A secret"
    def get(self): return self.__secret
    def set(self, v): self.__x = v
class B(A):
    __secret = "B secret"
    def getb(self): return self.__secret
b = B()
print(b.get(), b.getb(), sorted(k for k in vars(A) if "secret" in k), sorted(k for k in vars(B) if "secret" in k))
b.set(5)
print(b._A__x, hasattr(b, "__x"))
try:
    b.__secret
except AttributeError as e:
    print(e)
class _Under:
    def m(self): return self.__name__dunder if False else "ok"
print(_Under().m())
