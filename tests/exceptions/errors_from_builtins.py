tests = [
    lambda: [][0], lambda: {}["k"], lambda: (1).foo, lambda: int("x"), lambda: 1 / 0, lambda: None + 1,
    lambda: len(5), lambda: "a" < 1, lambda: [].pop(), lambda: next(iter([])), lambda: abs("x"),
    lambda: max([]), lambda: chr(-1), lambda: list(1), lambda: {}.fromkeys(1), lambda: (lambda x: x)(),
    lambda: (lambda x: x)(1, 2), lambda: (lambda: 0)(y=1), lambda: sum(["a"]), lambda: getattr(1, "z"),
    lambda: import_missing(), lambda: (1, 2)[5], lambda: "abc".index("z"), lambda: float("x"), lambda: {}.pop(1),
    lambda: divmod(1, 0), lambda: 2 ** 10000.0, lambda: sorted([1, "a"]), lambda: object() < object(), lambda: hash([]),
    lambda: setattr(1, "x", 2), lambda: print(end=5), lambda: open, lambda: int(None), lambda: [1, 2, 3][1:2:0],
]
for t in tests:
    try:
        r = t()
        print("ok", type(r).__name__)
    except Exception as e:
        print(type(e).__name__ + ":", e)
