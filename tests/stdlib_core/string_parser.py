import _string
for s in ['a{{b', 'a}}b', '{0!r:>5}x', '{}', '{a.b[0]:{w}}', 'x', '', '{!r}', '{:}', 'a{0}', '}}', 'é{ü}', '{0[x]}{1.y!s}']:
    print(repr(s), list(_string.formatter_parser(s)))
for s in ['a{', 'a}', '{0', '{0!', '{0!r', '{0!rx}', '{a{}', 'ok{0}then}']:
    it = _string.formatter_parser(s)
    got = []
    try:
        for x in it:
            got.append(x)
    except ValueError as e:
        print(repr(s), got, 'ValueError', e)
f, r = _string.formatter_field_name_split('0.x[1][k].3'); print(f, list(r))
f, r = _string.formatter_field_name_split(''); print(repr(f), list(r))
f, r = _string.formatter_field_name_split('name'); print(repr(f), list(r))
for bad in ['a..b', 'a[0', 'a[0]x', 'a[]']:
    f, r = _string.formatter_field_name_split(bad)
    got = []
    try:
        for x in r:
            got.append(x)
    except ValueError as e:
        print(repr(bad), f, got, 'ValueError', e)
try:
    _string.formatter_parser(1)
except TypeError as e:
    print('TypeError', e)
print(type(_string.formatter_parser('')).__name__, type(_string.formatter_field_name_split('')[1]).__name__)
# str.format still agrees
print('{0}-{1!r}-{x[1]}-{y.real:>6.2f}-{{}}'.format('a', 'b', x=[0, 'k'], y=2.5), '{}{}'.format(1, 2), '{:{}}'.format('x', 4) + '|')
for fmt in ['{0}{}', '{}{0}', '{a.}', '{0[}', '{0]}', '{!x}', '}', '{', '{0:{1:{2}}}']:
    try:
        print(repr(fmt.format(1, 2, 3, a=1)))
    except (ValueError, IndexError, KeyError, AttributeError) as e:
        print(fmt, type(e).__name__, e)
