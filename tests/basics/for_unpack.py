pairs = [(1, "a"), (2, "b"), (3, "c")]
for n, s in pairs:
    print(n, s)
for i, (n, s) in enumerate(pairs, start=10):
    print(i, n * s)
a, *b, c = range(6)
print(a, b, c)
*d, = "xyz"
print(d)
(e, f), g = (1, 2), 3
print(e, f, g)
first, *_ = [9, 8, 7]
print(first)
for a, *rest in [(1, 2, 3), (4,), (5, 6)]:
    print(a, rest)
