from _collections import defaultdict

d = defaultdict(list)
d['a'].append(1); d['b']; d['a'].append(2)
print(d, d['a'], len(d), dict(d), d.default_factory)
print(defaultdict(), defaultdict(None, {1: 2}), defaultdict(int, a=1), defaultdict(int, [(1, 2)]))
try:
    defaultdict()['x']
except KeyError as e:
    print('KeyError', e)
try:
    defaultdict(1)
except TypeError as e:
    print(e)
c = d.copy(); print(type(c).__name__, c, c.default_factory is list, d.__copy__() == d)
print(d.__reduce__()[:4])
print(defaultdict(int, a=1) | {'b': 2}, {'z': 0} | defaultdict(int, a=1), type({'z': 0} | defaultdict(int)).__name__)
n = defaultdict(int); n['x'] += 5; print(n, n.get('y'), 'y' in n)
class Sub(defaultdict):
    pass
s = Sub(int); s[1] += 1; print(s, isinstance(s, dict))
class F:
    def __call__(self): return 0
    def __repr__(self): return 'F(%r)' % (self.d,)
f = F(); r = defaultdict(f); f.d = r; print(r)
print(isinstance(d, dict), defaultdict.__module__, defaultdict[int, str])

