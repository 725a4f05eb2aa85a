# The codec registry: encodings package search, incremental codecs, error handlers, escapes.
import codecs
print(codecs.lookup('UTF-8').name, codecs.lookup('latin1').name)
print('é€'.encode('cp1252'), b'\x80\xe9'.decode('cp1252'), str(b'\xe9', 'cp850'))
print(codecs.encode('abc', 'rot13'))
for e in ['utf-8', 'utf-16', 'utf-32', 'latin-1', 'cp1252', 'utf-16-be', 'mac-roman']:
    enc = codecs.getincrementalencoder(e)()
    dec = codecs.getincrementaldecoder(e)()
    data = enc.encode('aé€'[:2 if e in ('latin-1',) else 3]) + enc.encode('z', final=True)
    out = ''.join(dec.decode(data[i:i+1]) for i in range(len(data))) + dec.decode(b'', final=True)
    print(e, data, out)
print(codecs.lookup_error('strict'), codecs.lookup_error('replace')(UnicodeEncodeError('ascii', 'aé', 1, 2, 'x')))
print(codecs.unicode_escape_decode(b'a\\n\\x41\\u20ac\\N{BULLET}'), codecs.unicode_escape_encode('a\né€'))
print(codecs.escape_decode(b'\\x41\\n'), codecs.escape_encode(b'A\n\xff'))
try:
    'x'.encode('nope')
except LookupError as e:
    print(type(e).__name__, e)
try:
    'x'.encode('rot13')
except LookupError as e:
    print(type(e).__name__, e)
except TypeError as e:
    print(type(e).__name__, e)
print(b'\x81'.decode('cp1252', 'replace'))
try:
    b'\x81'.decode('cp1252')
except UnicodeDecodeError as e:
    print(e)
