class M(type):
    def __new__(m, name, bases, ns, **kw):
        print("kw", sorted(kw.items()))
        return super().__new__(m, name, bases, ns)
bases = (object,)
kw = {'metaclass': M, 'flag': 1}
class A(*bases, **kw): pass
class B(*bases, x=2, metaclass=M): pass
class C(int, *(), **{'metaclass': M}): pass
print(type(A).__name__, B.__bases__, C.__mro__)
class G:
    def __getitem__(self, k): return k
print(G()[1:2, 3], G()[::2, ...], G()[1:2:3, :])
