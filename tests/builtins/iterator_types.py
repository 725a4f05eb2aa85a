print([x for x in enumerate("abc")], [x for x in enumerate("ab", start=10)], [x for x in enumerate(iterable="ab")])
print(type(enumerate([])).__name__, type(zip()).__name__, type(map(abs, [])).__name__, type(filter(None, [])).__name__)
print([x for x in zip()], [x for x in zip("ab", [1, 2, 3], (True, False))])
print([x for x in map(pow, [2, 3], [3, 2])], [x for x in filter(lambda v: v % 2, range(7))])
print([x for x in reversed("abc")], [x for x in reversed(range(1, 10, 3))], [x for x in reversed((1, 2))], [x for x in reversed({"a": 1, "b": 2})])
class Seq:
    def __len__(self):
        return 3
    def __getitem__(self, i):
        return i * 10
print([x for x in reversed(Seq())], len(Seq()))
class Rev:
    def __reversed__(self):
        return iter("zyx")
print([x for x in reversed(Rev())])
for bad in ["zip(1)", "map(len)", "map(len, 1)", "filter(len)", "enumerate()", "enumerate(1)", "enumerate([], 'a')",
            "reversed(1)", "iter(1, 2)", "iter()", "zip(x=1)", "enumerate(x=1)", "filter(None, [], x=1)"]:
    try:
        eval(bad)
    except TypeError as e:
        print(bad, "->", e)
for args in [([1, 2], [1]), ([1], [1], [1, 2]), ([1, 2], [1, 2], [1])]:
    try:
        print([x for x in zip(args[0], args[1], strict=True)] if len(args) == 2 else [x for x in zip(args[0], args[1], args[2], strict=True)])
    except ValueError as e:
        print(type(e).__name__, e)
counter = [0]
def tick():
    counter[0] = counter[0] + 1
    return counter[0]
print([x for x in iter(tick, 4)])
it = iter([1, 2])
print(next(it), next(it), next(it, "done"))
e = enumerate("xy")
print(e.__next__(), next(e))
try:
    next(e)
except StopIteration as s:
    print("stop", s.value)
class MyEnum(enumerate):
    pass
print(type(MyEnum("a")).__name__, [x for x in MyEnum("ab", 5)])
