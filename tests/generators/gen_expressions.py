g = (x * x for x in range(5))
print(type(g).__name__, list(g), list(g))
print(sum(x for x in range(10) if x % 3 == 0), max(len(w) for w in ["a", "abc", "ab"]))
print(any(x > 3 for x in range(5)), all(x < 3 for x in range(5)))
it = iter(range(3))
g = (x for x in it)
next(g)
print(list(it))
def lazy():
    print("evaluated first iterable")
    return range(2)
g = (x for x in lazy())
print("created")
print(list(g))
print(list((x, y) for x in range(2) for y in "ab"))
try:
    (x for x in 5)
except TypeError as e:
    print(e)
