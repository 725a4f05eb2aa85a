from __future__ import annotations
def f(a: A, b: (lambda: B)) -> R:
    x: L = 1
class C:
    y: T
