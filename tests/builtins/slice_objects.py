s = slice(1, 10, 2)
print(s, repr(slice(3)), s.start, s.stop, s.step, slice(None, None, None))
print(slice(1, 2) == slice(1, 2), slice(1, 2) != slice(1, 3))
print(slice(1, 10, 3).indices(5), slice(None, None, -1).indices(5), slice(-3, None).indices(10), slice(-100, 100).indices(4))
print([0, 1, 2, 3, 4][slice(1, 4)], "abcdef"[slice(None, None, 2)])
for bad in ["slice()", "slice(1, 2, 3, 4)", "slice(1, 2, 0).indices(3)", "slice(1).indices(-1)",
            "slice('a').indices(3)", "hash(slice(1))", "slice(1, k=2)"]:
    try:
        eval(bad)
    except (TypeError, ValueError) as e:
        print(bad, type(e).__name__, e)
