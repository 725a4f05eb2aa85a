print(sorted([3, 1, 2]), sorted("bca"), sorted((3, 1), reverse=True), sorted({2: "a", 1: "b"}.items()))
print(sorted([], key=len), sorted(["bb", "a", "ccc"], key=len), sorted([(1, "b"), (1, "a")]))
print(list(reversed("abc")), "".join(sorted("hello", reverse=True)))
try:
    sorted([1, 2], lambda x: x)
except TypeError as e:
    print(e)
print(list(zip(*[(1, "a"), (2, "b")])), dict(zip("ab", [1, 2])), list(map(lambda a, b: a + b, "ab", "cd")))
print(next(filter(lambda v: v > 2, [1, 2, 3, 4])), list(enumerate([])), [*map(len, ["", "a"])])
