def read():
    for line in ["a 1", "b 2", "", "c 3", "a 4"]:
        yield line
def nonempty(lines):
    for l in lines:
        if l:
            yield l
def parse(lines):
    for l in lines:
        k, v = l.split()
        yield k, int(v)
totals = {}
for k, v in parse(nonempty(read())):
    totals[k] = totals.get(k, 0) + v
print(totals)
import itertools
print(list(itertools.chain([1], (2, 3))), list(itertools.accumulate(range(5))), list(itertools.takewhile(lambda x: x < 3, itertools.count())))
print(list(itertools.product("ab", repeat=2)), list(itertools.permutations(range(3), 2))[:4], list(itertools.combinations("abc", 2)))
print([(k, list(g)) for k, g in itertools.groupby("aabccc")], list(itertools.zip_longest("ab", "x", fillvalue="-")))
