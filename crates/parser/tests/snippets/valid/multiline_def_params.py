def f(
    a,
    b: int = 1,
    *,
    c,
):
    pass
