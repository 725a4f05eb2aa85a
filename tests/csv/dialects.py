# _csv.Dialect validation and the dialect registry.
import csv
import _csv


def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


def show(d):
    return (d.delimiter, d.quotechar, d.escapechar, d.lineterminator, d.quoting,
            d.doublequote, d.skipinitialspace, d.strict)


D = _csv.Dialect
t(lambda: show(D()))
for kw in [dict(delimiter=1), dict(delimiter='ab'), dict(delimiter=''), dict(delimiter=None),
           dict(quotechar=1), dict(quotechar='ab'), dict(quotechar=None),
           dict(quotechar=None, quoting=0), dict(quotechar=None, quoting=3),
           dict(escapechar=1), dict(escapechar=''), dict(escapechar='\\'),
           dict(lineterminator=None), dict(lineterminator=1), dict(lineterminator=''),
           dict(quoting='a'), dict(quoting=7), dict(quoting=1.0), dict(quoting=True), dict(quoting=2**70),
           dict(doublequote=[]), dict(strict=2), dict(skipinitialspace='yes'),
           dict(dialect='nope'), dict(foo=1), dict(quotechar='')]:
    t(lambda: show(D(**kw)))
t(lambda: D(1, 2))
d = D()
t(lambda: setattr(d, 'delimiter', 'x'))
t(lambda: D(d) is d)
t(lambda: D(d, delimiter=';') is d)


class X:
    delimiter = ';'
    quoting = csv.QUOTE_ALL


t(lambda: show(D(X)))
t(lambda: show(D(X, delimiter=':')))
t(lambda: show(D(X())))
t(lambda: show(D('excel-tab')))

print(sorted(csv.list_dialects()))
csv.register_dialect('pipes', delimiter='|', quoting=csv.QUOTE_MINIMAL)
print(show(csv.get_dialect('pipes')))
csv.register_dialect('mine', X, strict=True)
print(show(csv.get_dialect('mine')))
print(list(csv.reader(['a|"b|c"|d'], 'pipes')))
print(sorted(csv.list_dialects()))
csv.unregister_dialect('pipes')
t(lambda: csv.unregister_dialect('pipes'))
t(lambda: csv.get_dialect('pipes'))
t(lambda: csv.register_dialect(1))
t(lambda: csv.register_dialect('x', delimiter=1))
t(lambda: csv.register_dialect('x', 1, 2))
t(lambda: csv.reader())
t(lambda: csv.reader([], 'excel', 3))
t(lambda: csv.reader([], foo=1))
t(lambda: csv.reader(1))
t(lambda: csv.writer())
t(lambda: csv.field_size_limit('a'))
t(lambda: csv.field_size_limit(1, 2))
t(lambda: csv.field_size_limit(2**70))
print(csv.field_size_limit(new_limit=10), csv.field_size_limit(), csv.field_size_limit(131072))
print(_csv.QUOTE_MINIMAL, _csv.QUOTE_ALL, _csv.QUOTE_NONNUMERIC, _csv.QUOTE_NONE, _csv.__version__)
print(issubclass(csv.Error, Exception), csv.Error.__module__, _csv.Reader, _csv.Writer)
print(type(csv.reader([])).__name__, type(csv.writer(open(__file__))).__name__)


class MyDialect(csv.Dialect):
    delimiter = ','
    quotechar = '"'
    lineterminator = '\n'
    quoting = csv.QUOTE_MINIMAL


try:
    class BadDialect(csv.Dialect):
        delimiter = 'xx'
        quotechar = '"'
        lineterminator = '\n'
        quoting = csv.QUOTE_MINIMAL
    BadDialect()
except Exception as e:
    print(type(e).__name__, e)
print(show(D(MyDialect)))
