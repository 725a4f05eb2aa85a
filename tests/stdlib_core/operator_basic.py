import operator, _operator
from operator import itemgetter, attrgetter, methodcaller

print(operator.add(1, 2), operator.sub(5, 3), operator.mul('a', 3), operator.truediv(7, 2), operator.floordiv(7, 2), operator.mod(7, 3))
print(operator.pow(2, 10), operator.neg(3), operator.pos(-3), operator.abs(-4), operator.inv(5), operator.invert(5), operator.index(7))
print(operator.lshift(1, 4), operator.rshift(16, 2), operator.and_(6, 3), operator.or_(6, 3), operator.xor(6, 3))
print(operator.lt(1, 2), operator.le(2, 2), operator.eq(1, 1), operator.ne(1, 1), operator.gt(1, 2), operator.ge(3, 2))
print(operator.not_(0), operator.truth([]), operator.is_(None, None), operator.is_not(1, None))
print(operator.concat([1], [2]), operator.contains([1, 2], 2), operator.countOf([1, 2, 1], 1), operator.indexOf('abc', 'c'))
l = [1, 2, 3]; operator.setitem(l, 0, 9); operator.delitem(l, 1); print(l, operator.getitem(l, 1), operator.getitem('abc', slice(1, None)))
x = [1]; y = operator.iadd(x, [2]); print(x, y is x, operator.iconcat([0], [1]), operator.imul([1], 2), operator.isub(5, 1), operator.ipow(2, 3))
print(operator.length_hint([1, 2]), operator.length_hint(iter([1, 2, 3, 4, 5])), operator.length_hint(object(), 7), operator.call(max, 1, 5, key=None))
print(operator.__lt__ is operator.lt, operator.__add__(1, 1), operator.__doc__.splitlines()[0])
print(itemgetter(1)('abc'), itemgetter(0, 2)('abc'), itemgetter('k')({'k': 1}), repr(itemgetter(1, 'a')), itemgetter(1).__reduce__())
class P:
    def __init__(self):
        self.a = 1
        self.child = self
print(attrgetter('a')(P()), attrgetter('child.child.a', 'a')(P()), repr(attrgetter('a', 'b.c')), attrgetter('x.y').__reduce__())
print(methodcaller('upper')('abc'), methodcaller('split', ',', maxsplit=1)('a,b,c'), repr(methodcaller('f', 1, k='v')), methodcaller('g', 2).__reduce__())
print(sorted([(1, 'b'), (0, 'c'), (1, 'a')], key=itemgetter(0)), _operator._compare_digest(b'abc', b'abc'), _operator._compare_digest('a', 'b'))
errs = ['operator.add(1)', 'operator.neg()', 'operator.truth()', 'operator.setitem(1)', 'operator.length_hint()', 'operator.length_hint(1, "x")',
        'itemgetter()', 'itemgetter(1)()', 'itemgetter(1)(1, 2)', 'attrgetter(1)', 'attrgetter("a")(1, 2)', 'methodcaller()', 'methodcaller(1)',
        'operator.concat(1, 2)', 'operator.indexOf([1], 2)', 'operator.add(1, "a")', 'operator.iadd(1, "a")', '_operator._compare_digest("é", "e")',
        '_operator._compare_digest(1, 2)', 'itemgetter(1, x=2)', 'operator.index(1.5)', 'attrgetter("zz")(1)', 'operator.lt(1, "a")']
for e in errs:
    try:
        print(e, '->', eval(e))
    except Exception as ex:
        print(e, type(ex).__name__, ex)
class LH:
    def __length_hint__(self):
        return -1
try:
    operator.length_hint(LH())
except ValueError as ex:
    print(ex)
