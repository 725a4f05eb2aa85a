r = range(1, 20, 3)
print(r, list(r), len(r), r[2], r[-1], r[1:3], r[::-1], 7 in r, 8 in r, r.index(10), r.count(4))
print(range(5), range(0, 5, 1) == range(5), range(0) == range(2, 2), list(range(10, 0, -3)), range(3).start)
print(range(10 ** 20).stop, range(10 ** 20)[-1], 10 ** 19 in range(10 ** 20))
print(list(reversed(range(4))), range(2, 8).stop, range(1, 9, 2).step, hash(range(3)) == hash(range(0, 3)))
try:
    range(1, 2, 0)
except ValueError as e:
    print(e)
try:
    range(3)[5]
except IndexError as e:
    print(e)
try:
    range(1.5)
except TypeError as e:
    print(e)
print(range(5)[1:100:2], bool(range(0)), list(range(-3)))
try:
    len(range(10 ** 20))
except OverflowError as e:
    print("OverflowError:", e)
