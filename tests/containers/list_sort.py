people = [("bob", 25), ("alice", 30), ("carol", 25), ("dave", 30), ("eve", 20)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
people.sort(key=lambda p: p[0], reverse=True)
print(people)
l = [5, 2, 9, 1, 5, 6]
l.sort()
print(l)
l.sort(reverse=True)
print(l)
words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len, reverse=True))
print(sorted([3.5, -1, 2, True]), sorted("hello"), sorted({3: 1, 1: 2}), sorted([]), sorted([1.5, -0.5, 2.25]))
# stability on a large input with many equal keys (deterministic LCG data)
seed = 12345
data = []
for i in range(2000):
    seed = (seed * 1103515245 + 12345) % 2147483648
    data.append((seed >> 16) % 10)
pairs = [(data[i], i) for i in range(len(data))]
s = sorted(pairs, key=lambda p: p[0])
def stable(v):
    for i in range(len(v) - 1):
        if v[i][0] == v[i + 1][0] and v[i][1] > v[i + 1][1]:
            return False
    return True
print(stable(s), s[:5])
r = sorted(pairs, key=lambda p: p[0], reverse=True)
print(stable(r), r[:5])
ints = [((i * 7919) % 1009) - 500 for i in range(3000)]
print(sorted(ints) == sorted(ints, key=lambda v: v), sorted(ints)[:5], sorted(ints)[-3:])
runs = list(range(100)) + list(range(50, 0, -1)) + list(range(200, 150, -1)) + [7] * 20
print(sorted(runs)[::17])
strs = [str(v) for v in ints[:300]]
print(sorted(strs)[:8], sorted(strs, reverse=True)[:3])
# comparison via < only
class K:
    def __init__(self, v): self.v = v
    def __lt__(self, o): return self.v < o.v
    def __repr__(self): return f"K{self.v}"
print(sorted([K(3), K(1), K(2)]), max([K(3), K(5)], key=lambda k: k.v))
class OnlyGt:
    def __init__(self, v): self.v = v
    def __gt__(self, o): return self.v > o.v
    def __repr__(self): return f"G{self.v}"
print(sorted([OnlyGt(2), OnlyGt(1)]))
try:
    [1, "a"].sort()
except TypeError as e:
    print(e)
try:
    sorted([2, 1, None])
except TypeError as e:
    print(e)
bad = [3, 1, "x", 2]
try:
    bad.sort()
except TypeError as e:
    print(e, sorted(bad, key=str))
lst = [3, 2, 1]
def bad_key(x):
    lst.append(0)
    return x
try:
    lst.sort(key=bad_key)
except ValueError as e:
    print(e, lst)
def failing_key(x):
    if x == 2:
        raise KeyError("no")
    return x
k = [3, 2, 1]
try:
    k.sort(key=failing_key)
except KeyError as e:
    print("KeyError", e, k)
try:
    [].sort(1)
except TypeError as e:
    print(e)
try:
    [].sort(cmp=1)
except TypeError as e:
    print(e)
n = [1, 2]
n.sort(key=None, reverse=0)
print(n, [].sort(), [1].sort(reverse=True))
