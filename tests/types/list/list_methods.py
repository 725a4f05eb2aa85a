l = [3, 1, 2]
l.append(4); l.extend((5, 6)); l.insert(0, 0); l.insert(-1, 9); l.insert(100, 7)
print(l, l.pop(), l.pop(0), l.index(2), l.count(9))
l.remove(9)
print(l)
l.reverse()
print(l, l.copy() == l, l.copy() is l)
l.clear()
print(l, [1, 2] + [3], [0] * 3, [[]] * 2, 2 in [1, 2])
try:
    [].pop()
except IndexError as e:
    print(e)
try:
    [1].remove(2)
except ValueError as e:
    print(e)
try:
    [1].index(5)
except ValueError as e:
    print(e)
a = [1, 2, 3, 4, 5]
print(a[1:3], a[::-1], a[-2:], a[:-2], a[::2], a[10:], a[3:1])
a[1:4] = []
print(a)
a[:0] = [9, 9]
print(a)
del a[::2]
print(a)
print(list(range(3)), list("ab"), list({1: 2}), [*range(2), *"ab"])
