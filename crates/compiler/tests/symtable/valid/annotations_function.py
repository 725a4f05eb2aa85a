def f(a: A, *b: B, c: C = 1, **d: D) -> R:
    x: int
    y: int = 1
    return x
