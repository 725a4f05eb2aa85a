def t(f):
    try:
        r = f()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, e)

l = [3, 1, 2]
l.append(4); l.extend((5, 6)); l.insert(0, 0); l.insert(-1, 9); l.insert(100, 7); l.insert(-100, -1)
print(l, l.pop(), l.pop(0), l.index(2), l.count(9), l.index(9, 2, 8))
l.remove(9)
print(l)
l.reverse()
print(l, l.copy() == l, l.copy() is l)
l.clear()
print(l, [1, 2] + [3], [0] * 3, 3 * [1], [[]] * 2, 2 in [1, 2], [1] * -1, [1, 2] * 0)
t(lambda: [].pop())
t(lambda: [1].pop(5))
t(lambda: [1].remove(2))
t(lambda: [1].index(5))
t(lambda: [1, 2].index(1, 1))
t(lambda: [].append())
t(lambda: [].insert(1))
t(lambda: [].pop(1, 2))
t(lambda: [].index())
t(lambda: [1].index(1, "a"))
t(lambda: [1] + (1,))
t(lambda: [1] + 1)
t(lambda: [1] * "a")
t(lambda: "a" * [1])
t(lambda: 1.5 * [1])
t(lambda: [1] < (1,))
t(lambda: [1] < ["a"])
t(lambda: hash([]))
t(lambda: list(1))
t(lambda: list([], []))
t(lambda: list(a=1))
# slicing
a = [1, 2, 3, 4, 5]
print(a[1:3], a[::-1], a[-2:], a[:-2], a[::2], a[10:], a[3:1], a[-100:100], a[::-2])
a[1:4] = []
print(a)
a[:0] = [9, 9]
print(a)
a[1:2] = "xyz"
print(a)
a[len(a):] = range(3)
print(a)
del a[::2]
print(a)
a[::2] = [7, 7]
print(a)
a[::-1] = a[:]
print(a)
del a[1:3]
print(a)
a[:] = a
print(a)
a[1:1] = a
print(a)
del a[:]
print(a)
b = [0, 1, 2]
def f(): b[0:2] = 1
t(f)
def f(): b[::2] = [1, 2, 3]
t(f)
def f(): b[::2] = 1
t(f)
def f(): b["a"] = 1
t(f)
def f(): del b["a"]
t(f)
def f(): del b[5]
t(f)
def f(): b[5] = 0
t(f)
def f(): b[::0] = []
t(f)
t(lambda: b["a"])
t(lambda: b[10])
b[-1] = "last"
del b[0]
print(b)
# comparisons
print([1, 2] == [1, 2], [1, 2] != [1, 3], [1, 2] < [1, 2, 0], [2] > [1, 9], [] < [0], [1, 2] <= [1, 2], [3] >= [2, 9])
print([1, [2]] == [1, [2]], [float("nan")] == [float("nan")])
n = float("nan")
print([n] == [n], n in [n], [n].count(n), [n].index(n))
# identity and aliasing
x = [1, 2]
y = x
y += [3]
y += (4,)
y += range(5, 7)
print(x is y, x)
z = x
z *= 2
print(z is x, x)
z *= 0
print(x)
c = [[1]] * 2
c[0].append(2)
print(c, c[0] is c[1])
# repr with recursion
r = [1]
r.append(r)
print(r, repr(r), str([r]))
# extend by itself
s = [1, 2]
s.extend(s)
print(s)
# iterators
it = iter([1, 2, 3])
print(next(it), list(it), list(it))
ri = [1, 2, 3].__reversed__()
print(type(ri).__name__, list(ri), list(ri))
li = iter([1, 2, 3])
print(type(li).__name__, li.__length_hint__())
grow = [1]
for v in grow:
    if v < 5:
        grow.append(v + 1)
print(grow)
# list() constructor
print(list(), list(range(3)), list("ab"), list((1, 2)), list({1: 2, 3: 4}), list({"a": 1}.items()))
class MyList(list):
    def __init__(self, items=()):
        print("init", items)
        list.__init__(self, items)
    def total(self):
        return sum(self)
m = MyList([1, 2, 3])
print(m, len(m), m.total(), type(m).__name__, isinstance(m, list), m[0], m[1:])
m.append(4)
print(m, m + [5], type(m + [5]).__name__, m == [1, 2, 3, 4])
class Plain(list):
    pass
p = Plain("abc")
p.sort(reverse=True)
print(p, len(p), "a" in p, p.index("b"))
class Items(list):
    def __getitem__(self, i):
        return ("got", i)
    def __len__(self):
        return 42
    def __contains__(self, x):
        return x == "magic"
it = Items([1])
print(it[0], len(it), "magic" in it, 1 in it)
print(list.__name__, type([]) is list, list.__hash__ is None, [].__len__(), [1, 2].__getitem__(1), [1].__contains__(1))
