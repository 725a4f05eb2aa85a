# The _csv reader's state machine: quoting, escaping, line handling, errors.
import csv
import io


def rows(data, **kw):
    try:
        r = csv.reader(data if isinstance(data, list) else io.StringIO(data, newline=''), **kw)
        out = []
        for row in r:
            out.append(row)
        print(repr(out), r.line_num)
    except Exception as e:
        print(type(e).__name__, e)


rows("a,b,c\r\n1,2,3\r\n")
rows("a,b,c\n1,2,3\n")
rows("a,b\rc,d\r")
rows('"a,b",c\r\n')
rows('"a""b",c\n')
rows('"a""b",c\n', doublequote=False)
rows('"a\\"b",c\n', doublequote=False, escapechar='\\')
rows('a\\,b,c\n', escapechar='\\')
rows('a\\\nb,c\n', escapechar='\\')
rows('"multi\nline",x\nnext\n')
rows('"unterminated\n')
rows('"unterminated\n', strict=True)
rows('"a"b,c\n')
rows('"a"b,c\n', strict=True)
rows('a, b,  "c"\n', skipinitialspace=True)
rows('a; b;c\n', delimiter=';')
rows("a,'b,c',d\n", quotechar="'")
rows('a,"b,c",d\n', quoting=csv.QUOTE_NONE)
rows('1,2.5,"x"\n', quoting=csv.QUOTE_NONNUMERIC)
rows('1,abc\n', quoting=csv.QUOTE_NONNUMERIC)
rows(['a,b\n', '\n', 'c\n', ''])
rows(['a\nb'])
rows(['a\rb\n'])
rows(['a,b\r\n', 'c\r\n'])
rows(['"a\n', 'b"\n', 'c'])
rows([b'a,b'])
rows(['a\x00b,c'])
rows(['x,', ',y', ',', ''])
rows(['"",""'])
rows(['a,"",b'])
rows(['a\\'], escapechar='\\')
rows(['"a\\'], escapechar='\\')
rows(['"ab"\\c'], escapechar='\\')
rows(['  "a"'], skipinitialspace=True)
rows(['ab', 'cd'], delimiter='b')
rows(['a|b|c'], delimiter='|', quotechar=None)
rows(['a,b'], lineterminator='X')

old = csv.field_size_limit(5)
rows(['abcde,f'])
rows(['abcdef,g'])
rows(['"abcdef"'])
print(csv.field_size_limit(old))

r = csv.reader(['a,"b', 'c",d', 'e'])
print(next(r), r.line_num)
print(next(r), r.line_num)
print(r.dialect.delimiter, r.dialect.quoting)

# errors mid-stream leave the reader usable
r = csv.reader(['a\rb', 'c,d'])
try:
    next(r)
except csv.Error as e:
    print('Error', e)
print(next(r))
