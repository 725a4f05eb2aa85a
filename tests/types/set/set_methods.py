s = {3, 1, 2}
s.add(4); s.add(1); s.discard(10); s.remove(3)
print(sorted(s), len(s), 2 in s)
a, b = {1, 2, 3, 4}, {3, 4, 5}
print(a | b, a & b, a - b, a ^ b, a <= b, {3} < a, a >= {1}, a.isdisjoint({9}))
print(a.union([9]), a.intersection(b, {4}), a.difference(b), a.symmetric_difference(b), a.issubset(range(10)))
c = set(a)
c |= {10}; c &= {1, 10, 2}; c -= {2}; c ^= {7}
print(sorted(c))
c.update([20], [30]); c.intersection_update({20, 30, 7}); c.difference_update({7})
print(sorted(c), c.pop() in {20, 30}, set(), set("aab") == {"a", "b"})
try:
    set().pop()
except KeyError as e:
    print("KeyError", e)
try:
    s.remove(99)
except KeyError as e:
    print("KeyError", e)
try:
    {[1]}
except TypeError as e:
    print(e)
print({1, 2} == {2, 1}, {1, 2} == frozenset({1, 2}), {1.0, 1, True}, repr(set()), {(1, 2)})
print(sorted({x % 4 for x in range(20)}))
