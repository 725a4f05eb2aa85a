d = {1: "int", 1.0: "float", True: "bool"}
print(d, len(d))
nan = float("nan")
e = {nan: 1}
print(e[nan], nan in e, float("nan") in e)
class K:
    def __init__(self, v): self.v = v
    def __hash__(self): return 1
    def __eq__(self, o): return self.v == o.v
    def __repr__(self): return f"K({self.v})"
c = {K(1): "a", K(2): "b", K(1): "c"}
print(c)
big = {i: i * i for i in range(1000)}
for i in range(0, 1000, 2):
    del big[i]
print(len(big), list(big)[:5], sum(big.values()))
print(dict(sorted({"b": 1, "a": 2}.items())), {**{"a": 1}, "b": 2, **{"a": 3}})
