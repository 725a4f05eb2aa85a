from collections import defaultdict, Counter, namedtuple, OrderedDict, ChainMap, UserDict, deque
import collections.abc

cnt = Counter('abracadabra'); print(cnt, cnt.most_common(2), cnt['z'])
cnt.update('aaz'); print(sorted(cnt.items()))
print(Counter(a=3, b=1) - Counter(a=1), Counter(a=1) + Counter(a=2, b=1))

P = namedtuple('P', 'x y')
p = P(1, 2); print(p, p.x, p.y, p._asdict(), p._replace(x=5), P._fields, P.x.__doc__)
try:
    p.x = 3
except AttributeError as e:
    print(e)
print(P._make([3, 4]), tuple(p), p == (1, 2), P.__doc__)

od = OrderedDict(a=1, b=2); od.move_to_end('a'); print(od, list(od), od.popitem())
cm = ChainMap({'a': 1}, {'a': 2, 'b': 3}); print(cm['a'], cm['b'], len(cm), sorted(cm))
ud = UserDict(x=1); ud['y'] = 2; print(ud, len(ud), 'x' in ud)
print(isinstance(deque(), collections.abc.MutableSequence), collections.abc.Sequence.__module__)
