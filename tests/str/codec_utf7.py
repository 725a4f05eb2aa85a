# UTF-7 (RFC 2152): encoding, strict and lenient decoding, and the
# incremental decoder holding back an unfinished shift sequence.
import codecs
import random

random.seed(7)
for t in ['Hi Mom -\u263a-!', 'A\u2262\u0391.', '\u65e5\u672c\u8a9e', 'Item 3 is \u00a31.', '+', '+-', '~\\',
          'a\U0001f600b', '\ud800x', 'x\udc00', '\x00\x7f', 'tab\there\r\n', '']:
    e = t.encode('utf-7')
    print(ascii(t), e, ascii(e.decode('utf-7')) == ascii(t))

alpha = [b'+', b'-', b'A', b'/', b'2', b'D', b'3', b'c', b'a', b'\x80', b' ', b'!', b'~', b'\xff', b'AA', b'2D3', b'3cA']
for n in range(300):
    s = b''.join(random.choice(alpha) for _ in range(random.randint(0, 8)))
    row = []
    for errors in ('strict', 'replace', 'backslashreplace'):
        for final in (True, False):
            try:
                row.append(ascii(codecs.utf_7_decode(s, errors, final)))
            except UnicodeDecodeError as e:
                row.append('%s: %s' % (type(e).__name__, e))
    print(ascii(s), ' | '.join(row))

dec = codecs.getincrementaldecoder('utf-7')()
for t in ['hi+there', 'a\u20acb\U0001f600c-d+e', 'x\ud800y']:
    e = t.encode('utf-7')
    for k in range(len(e) + 1):
        dec.reset()
        print(k, ascii(dec.decode(e[:k])), ascii(dec.decode(e[k:], final=True)))

enc = codecs.getincrementalencoder('utf-7')()
print(enc.encode('a\u20ac'), enc.encode('b', final=True))
try:
    b'+AB-'.decode('utf-7')
except UnicodeDecodeError as e:
    print(type(e).__name__, e.encoding, e.start, e.end, e.reason)
