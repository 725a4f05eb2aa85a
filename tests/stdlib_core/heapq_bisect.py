import heapq, bisect
data = [5, 3, 8, 1, 9, 2, 7, 4, 6, 0, 3, 3]
h = []
for x in data:
    heapq.heappush(h, x)
print(h[0], [heapq.heappop(h) for _ in range(len(data))])
h = list(data); heapq.heapify(h); print(h, heapq.heappushpop(h, -1), heapq.heapreplace(h, 10), heapq.heappop(h), h[0])
print(heapq.heappushpop([], 3), heapq.nlargest(3, data), heapq.nsmallest(3, data), heapq.nsmallest(2, data, key=lambda v: -v))
print(list(heapq.merge([1, 4, 7], [2, 5], [3, 6, 9])), list(heapq.merge([3, 1], [4, 2], reverse=True, key=None)))
m = list(data); heapq._heapify_max(m); print(m[0], heapq._heappop_max(m), heapq._heapreplace_max(m, -5), m[0])
class Rev:
    def __init__(self, v): self.v = v
    def __lt__(self, o): return self.v > o.v
    def __repr__(self): return 'R%d' % self.v
r = [Rev(i) for i in [1, 5, 3]]; heapq.heapify(r); print(r[0], heapq.heappop(r))
for args in [('heappush', ((), 1)), ('heappop', ((),)), ('heapify', ((),)), ('heapreplace', ([], 1)), ('heappushpop', ((), 1)),
             ('heappop', ([],)), ('_heappop_max', ([],)), ('heappush', ([],)), ('heapify', ()), ('heappop', ())]:
    try:
        getattr(heapq, args[0])(*args[1])
    except Exception as e:
        print(args[0], type(e).__name__, e)
try:
    heapq.heappush([1], 'a')
except TypeError as e:
    print(e)

a = [1, 2, 2, 2, 3, 5]
print(bisect.bisect_left(a, 2), bisect.bisect_right(a, 2), bisect.bisect(a, 4), bisect.bisect_left(a, 2, 2), bisect.bisect_right(a, 2, 0, 3), bisect.bisect(a, 0, hi=None))
bisect.insort(a, 4); bisect.insort_left(a, 2); bisect.insort_right(a, 6, lo=0, hi=len(a)); print(a)
recs = [('a', 1), ('b', 3), ('c', 5)]
print(bisect.bisect_left(recs, 3, key=lambda r: r[1]), bisect.bisect_right(recs, 3, key=lambda r: r[1]))
bisect.insort(recs, ('x', 4), key=lambda r: r[1]); print(recs)
class L(list):
    def insert(self, i, x):
        print('insert', i, x)
        super().insert(i, x)
ll = L([1, 3]); bisect.insort(ll, 2); print(ll)
for call in ['bisect.bisect_left(1, 2)', 'bisect.bisect_left([], 2, -1)', 'bisect.insort_left((), 2)', 'bisect.bisect_right()',
             'bisect.bisect_right([1], 1, 0, "a")', 'bisect.bisect([1], 1, "a")', 'bisect.bisect([1], 1, x=2)', 'bisect.bisect_left([1], "a")']:
    try:
        print(call, '->', eval(call))
    except Exception as e:
        print(call, type(e).__name__, e)
