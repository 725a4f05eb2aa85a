class Grid:
    def __init__(self): self.d = {}
    def __getitem__(self, k):
        print("get", k)
        return self.d.get(k, 0)
    def __setitem__(self, k, v): self.d[k] = v
    def __delitem__(self, k): del self.d[k]
    def __len__(self): return len(self.d)
    def __contains__(self, k): return k in self.d
    def __iter__(self): return iter(sorted(self.d))
g = Grid()
g[1, 2] = "a"
g[0, 0] = "b"
print(g[1, 2], g[9, 9], len(g), (0, 0) in g, list(g))
del g[0, 0]
print(len(g), bool(g))
class Call:
    def __call__(self, *a, **k): return ("called", a, k)
print(Call()(1, x=2), callable(Call()), callable(Call))
class Ctx:
    def __enter__(self): print("enter"); return "val"
    def __exit__(self, *a): print("exit", a[0]); return False
with Ctx() as v:
    print(v)
class Len:
    def __len__(self): return -1
try:
    len(Len())
except ValueError as e:
    print(e)
class Idx:
    def __index__(self): return 2
print([10, 20, 30][Idx()], "abc"[Idx()], bin(Idx()), range(10)[Idx()])
