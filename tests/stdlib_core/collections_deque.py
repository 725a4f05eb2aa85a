# _collections directly: `collections` itself also needs reprlib (_thread).
from _collections import deque

d = deque([1, 2, 3])
d.append(4); d.appendleft(0)
print(d, len(d), d[0], d[-1], 3 in d, 9 in d, bool(d), bool(deque()))
print(d.pop(), d.popleft(), d)
d.extend('ab'); d.extendleft([9, 8]); print(d)
d.rotate(2); print(d); d.rotate(-3); print(d); d.rotate(); print(d)
print(d.count(1), d.index('a'), d.index(2, 1), list(reversed(d)))
d.insert(1, 'x'); d.remove('x'); d.reverse(); print(d)
d[0] = 'first'; del d[1]; print(d, d.copy(), d.__copy__() == d)
m = deque(range(10), maxlen=3); print(m, m.maxlen, deque().maxlen)
m.append(10); m.appendleft(-1); print(m)
m.extend(range(5)); print(m)
print(deque('abc') + deque('de'), deque('ab') * 3, 2 * deque([1]), deque([1, 2], maxlen=3) * 4)
e = deque([1]); e += [2, 3]; e *= 2; print(e)
e.clear(); print(e, deque([1, 2]) == deque([1, 2]), deque([1]) < deque([1, 2]), deque([2]) > deque([1, 5]), deque([1]) != deque([1]))
r = deque([1]); r.append(r); print(r)
class Sub(deque):
    pass
s = Sub([1, 2], maxlen=4); print(s, type(s.copy()).__name__, s.copy())
print(deque([1, 2], 5).__reduce__()[:3], deque().__reduce__()[:3])
it = iter(deque([1, 2, 3])); next(it); print(it.__length_hint__(), list(it))
dd = deque([1, 2, 3])
try:
    for x in dd:
        dd.append(x)
except RuntimeError as e:
    print(type(e).__name__, e)
tests = ['deque().pop()', 'deque().popleft()', 'deque([1]).index(2)', 'deque([1]).remove(2)', 'deque([1],1).insert(0,1)',
         'deque([1])[5]', 'deque([1])["a"]', 'deque([1])[1:2]', 'deque([1],-1)', 'deque([1],"a")', 'deque([1]) + [1]',
         'deque([1]) * "a"', 'deque(1)', 'hash(deque())', 'deque([1]).rotate("a")', 'deque().__setitem__(0,1)',
         'deque([1]).__delitem__(3)', 'deque(x=1)', 'deque([1]) < [1]', 'deque([1]) == [1]']
for t in tests:
    try:
        print(t, '->', eval(t))
    except Exception as e:
        print(t, type(e).__name__, e)
big = deque(range(100000)); big.rotate(12345); print(big[0], big[-1], sum(big))
print(deque[int], deque.__name__, deque.__module__)
