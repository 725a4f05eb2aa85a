from itertools import *
import itertools
import operator

print(list(islice(count(), 5)), list(islice(count(5, 2), 3)), list(islice(count(1.5, 0.5), 3)))
print(repr(count()), repr(count(5)), repr(count(5, 2)), repr(count(1.5)), repr(count(1, 1.0)), repr(count(2**70)))
c = count(3); next(c); print(c, c.__reduce__())
print(list(islice(cycle('abc'), 7)), list(cycle([])))
print(list(repeat('a', 3)), repr(repeat('a', 3)), repr(repeat('a')), repr(repeat(1, -5)), list(repeat(1, -5)))
print(operator.length_hint(repeat(1, 4)), repeat(1, 4).__length_hint__(), repeat(2, 3).__reduce__())
print(list(accumulate([1, 2, 3, 4])), list(accumulate([1, 2, 3], operator.mul)), list(accumulate([1, 2], initial=10)), list(accumulate([], initial=5)))
print(list(chain('ab', [1, 2], ())), list(chain.from_iterable(['xy', 'z'])), list(chain()))
print(list(compress('ABCDEF', [1, 0, 1, 0, 1, 1])), list(compress('AB', [1, 1, 1, 1])))
print(list(dropwhile(lambda x: x < 3, [1, 2, 3, 4, 1])), list(takewhile(lambda x: x < 3, [1, 2, 3, 4, 1])))
print(list(filterfalse(None, [0, 1, '', 'a'])), list(filterfalse(lambda x: x % 2, range(6))))
print([(k, list(g)) for k, g in groupby('AAAABBBCCDAABBB')])
print([(k, list(g)) for k, g in groupby([1, 2, 3, 4, 5, 6], key=lambda x: x // 3)])
groups = groupby('aabbc')
k1, g1 = next(groups); k2, g2 = next(groups)
print(k1, list(g1), k2, list(g2))
print(list(islice('ABCDEFG', 2)), list(islice('ABCDEFG', 2, 4)), list(islice('ABCDEFG', 2, None)), list(islice('ABCDEFG', 0, None, 2)), list(islice(count(), 1, 10, 3)))
print(list(pairwise('ABCD')), list(pairwise('A')), list(pairwise('')))
print(list(starmap(pow, [(2, 5), (3, 2)])), list(starmap(operator.add, [[1, 2]])))
a, b = tee(iter([1, 2, 3]))
print(next(a), next(a), list(b), list(a))
x, y, z = tee(range(100), 3)
print(sum(x), list(islice(y, 3)), list(z)[-1])
t1, = tee('abc', 1); t2 = t1.__copy__(); print(list(t1), list(t2), tee([], 0))
print(list(zip_longest('ABCD', 'xy', fillvalue='-')), list(zip_longest()), list(zip_longest([1], [])))
print(list(product('AB', 'xy')), list(product(range(2), repeat=3))[:4], list(product()), list(product('ab', [])))
print(list(permutations('ABC', 2)), list(permutations(range(3))), list(permutations([], 0)), list(permutations('a', 2)))
print(list(combinations('ABCD', 2)), list(combinations(range(4), 3)), list(combinations('ab', 3)), list(combinations('ab', 0)))
print(list(combinations_with_replacement('ABC', 2)), list(combinations_with_replacement('', 2)), list(combinations_with_replacement('', 0)))
print(type(count()).__name__, type(chain()).__module__, itertools.chain.__name__, repr(itertools.groupby))
tests = ['count("a")', 'count(1,"a")', 'count(x=1)', 'repeat()', 'repeat(1,2,3)', 'islice([1])', 'islice([1],-1)',
         'islice([1],1,-1)', 'islice([1],0,1,0)', 'islice([1],"a")', 'islice([],x=1)', 'chain(x=1)',
         'product([1],repeat=-1)', 'combinations([1])', 'combinations([1],-1)', 'permutations([1],-1)',
         'permutations([1],"a")', 'tee([],-1)', 'tee()', 'cycle()', 'cycle(1)', 'compress([1])', 'groupby()', 'starmap(1)',
         'pairwise()', 'accumulate()', 'filterfalse(None)', 'dropwhile(None)', 'takewhile(None)',
         'combinations_with_replacement([1],-1)', 'len(repeat(1))', 'repeat(1,x=2)', 'count(1,2,3)', 'accumulate([1],x=1)',
         'chain.from_iterable()', 'pairwise(1)', 'zip_longest(1)', 'product(1)', 'tee(1)', 'repeat(1).__length_hint__()',
         'list(starmap(abs, [1]))']
for t in tests:
    try:
        print(t, '->', eval(t))
    except Exception as e:
        print(t, type(e).__name__, e)

class MyCount(count):
    pass
m = MyCount(2)
print(type(m).__name__, next(m), next(m), isinstance(m, count))
print(list(chain[int]('ab')) if hasattr(chain, '__class_getitem__') else None)
