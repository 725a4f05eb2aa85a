from __future__ import annotations

# PEP 563: annotations are kept as strings, unevaluated.

def f(a: List[int], b: Dict[str, Tuple[int, ...]] = None, *args: Callable[[int], str]) -> Optional[int]:
    return a

print(f.__annotations__)
print(f([1]))

x: undefined_name = 5
y: int | None
z: lambda q, *r, s=1, **t: q + 1
w: "already a string"
v: [a for a in b if a]
u: {k: v for k, v in items}
t: (1, 2)
s: a.b.c[d:e, ::2]
r: -x ** 2 * (y + z)
p: not a and b or c
n: f(*args, key=value, **kw)
print(__annotations__)

class K:
    attr: SomeType[with_args]

print(K.__annotations__)
