# The _csv writer: quoting modes, escaping, return values, errors.
import csv
import io


class Num:
    def __float__(self):
        return 1.5

    def __str__(self):
        return 'num'


def w(rows, **kw):
    s = io.StringIO()
    try:
        wr = csv.writer(s, **kw)
        res = [wr.writerow(r) for r in rows]
        print(res, repr(s.getvalue()))
    except Exception as e:
        print(type(e).__name__, e, repr(s.getvalue()))


w([['a', 'b'], [1, 2.5, None, True]])
w([['a,b', 'c"d', 'e\nf', 'g\rh', '']])
w([['a,b', 'c"d']], quoting=csv.QUOTE_ALL)
w([['a', 1, 2.5, None, Num(), True]], quoting=csv.QUOTE_NONNUMERIC)
w([['a', 'b,c']], quoting=csv.QUOTE_NONE)
w([['a', 'b,c']], quoting=csv.QUOTE_NONE, escapechar='\\')
w([['a"b']], quoting=csv.QUOTE_NONE, escapechar='\\')
w([['a"b']], doublequote=False)
w([['a"b', 'c\\d']], doublequote=False, escapechar='\\')
w([['a\\b']], escapechar='\\')
w([['']])
w([['']], quoting=csv.QUOTE_NONE)
w([[None]])
w([[]])
w([['a', 'b']], lineterminator='|')
w([['a|b', 'c']], lineterminator='|')
w([['a;b', 'c']], delimiter=';')
w([["it's"]], quotechar="'")
w([['x']], dialect='excel-tab')
w([['a\tb', 'c']], dialect='excel-tab')
w([[1, 2]], dialect='unix')
w([(x for x in 'abc')])
w([1])
w(['ab'])

s = io.StringIO()
wr = csv.writer(s)
print(wr.writerows([[1, 2], ['a', 'b']]), repr(s.getvalue()))
print(wr.dialect.lineterminator == '\r\n', wr.dialect.delimiter)
try:
    wr.writerows(5)
except Exception as e:
    print(type(e).__name__, e)
try:
    csv.writer(object())
except Exception as e:
    print(type(e).__name__, e)


class Bad:
    def __str__(self):
        raise RuntimeError('no str')


try:
    wr.writerow([Bad()])
except Exception as e:
    print(type(e).__name__, e)


class W:
    def write(self, s):
        print('write', repr(s))
        return 'ret'


print(csv.writer(W()).writerow(['a b', 'c']))
