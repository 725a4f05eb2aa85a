people = [("bob", 25), ("alice", 30), ("carol", 25), ("dave", 30), ("eve", 20)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
l = [5, 2, 9, 1, 5, 6]
l.sort()
print(l)
l.sort(reverse=True)
print(l)
words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len, reverse=True))
print(sorted([3.5, -1, 2, True]), sorted("hello"), sorted({3: 1, 1: 2}))
import random
rng = random.Random(12345)
data = [rng.randrange(100) for _ in range(200)]
pairs = [(x % 10, i) for i, x in enumerate(data)]
s = sorted(pairs, key=lambda p: p[0])
print(all(s[i][1] < s[i + 1][1] for i in range(len(s) - 1) if s[i][0] == s[i + 1][0]))
print(s[:8])
try:
    [1, "a"].sort()
except TypeError as e:
    print(e)
class K:
    def __init__(self, v): self.v = v
    def __lt__(self, o): return self.v < o.v
    def __repr__(self): return f"K{self.v}"
print(sorted([K(3), K(1), K(2)]), max([K(3), K(5)], key=lambda k: k.v))
lst = [3, 2, 1]
def bad_key(x):
    lst.append(0)
    return x
try:
    lst.sort(key=bad_key)
except ValueError as e:
    print(e)
