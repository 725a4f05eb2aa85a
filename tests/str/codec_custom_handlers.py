# Error handlers registered with codecs.register_error, used by the
# built-in codecs; the standard handlers called directly.
import codecs


def show(f):
    try:
        print(ascii(f()))
    except Exception as e:
        print(type(e).__name__, e)


codecs.register_error('t.star', lambda e: ('*' * (e.end - e.start), e.end))
codecs.register_error('t.bytes', lambda e: (b'<%d>' % e.start, e.end))
back_calls = [0]


def back(e):
    # Negative positions count from the end; only once, or it never ends.
    back_calls[0] += 1
    return ('[%d:%d]' % (e.start, e.end), -1 if back_calls[0] == 1 else e.end)


codecs.register_error('t.back', back)
codecs.register_error('t.far', lambda e: ('x', 10 ** 30))
codecs.register_error('t.bad', lambda e: 42)
codecs.register_error('t.nonascii', lambda e: ('\xe9', e.end))

for enc in ('ascii', 'latin-1', 'utf-8', 'utf-16-le', 'utf-32-be'):
    for h in ('t.star', 't.bytes', 't.far', 't.bad', 't.nonascii'):
        show(lambda: 'a\u20ac\u20acb\udc80c'.encode(enc, h))
for enc in ('ascii', 'utf-8', 'utf-16-le'):
    for h in ('t.star', 't.back', 't.far', 't.bad'):
        back_calls[0] = 0
        show(lambda: b'ab\xff\xfe'.decode(enc, h))

calls = []


def shrink(e):
    calls.append((e.start, e.end))
    e.object = b'xyz'
    return ('!', 1)


codecs.register_error('t.shrink', shrink)
show(lambda: b'a\xffb'.decode('ascii', 't.shrink'))
print(calls)

print(codecs.lookup_error('strict') is codecs.strict_errors,
      codecs.lookup_error('replace') is codecs.replace_errors)
show(lambda: codecs.lookup_error('no.such'))

enc_err = UnicodeEncodeError('ascii', 'ab\u20accd', 1, 4, 'why')
dec_err = UnicodeDecodeError('utf-8', bytearray(b'a\xed\xa0\x80b'), 1, 4, 'why')
tr_err = UnicodeTranslateError('a\u1234\u5678b', 1, 3, 'why')
print(type(dec_err.object).__name__)
for name in ('strict', 'ignore', 'replace', 'backslashreplace', 'xmlcharrefreplace',
             'namereplace', 'surrogateescape', 'surrogatepass'):
    h = codecs.lookup_error(name)
    for e in (enc_err, dec_err, tr_err):
        show(lambda: h(e))
    show(lambda: h(42))

show(lambda: '\ud800x'.encode('utf-16-be', 'surrogatepass'))
show(lambda: b'\x00\xd8x\x00'.decode('utf-16-le', 'surrogatepass'))
show(lambda: UnicodeDecodeError('a', 1, 2, 3, 'x'))
show(lambda: UnicodeEncodeError('a', b'', 2, 3, 'x'))
