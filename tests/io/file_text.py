# Text files: open() modes, encodings, newline translation, seek/tell,
# iteration, errors. The scratch file sits next to this test.
path = __file__ + '.text.tmp'


def attempt(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


with open(path, 'w') as f:
    print(type(f).__name__, f.mode, f.encoding, f.errors, f.line_buffering, f.name == path)
    print(f.write('first\n'), f.write('sécond\r\nthird\rlast'))
    print(f.writable(), f.readable(), f.seekable())
print(f.closed)

with open(path) as f:
    print(repr(f.read()), f.newlines)
with open(path) as f:
    print(repr(f.readline()), f.tell())
    print(repr(f.read(3)), f.tell())
    print(f.readlines())
with open(path, newline='') as f:
    print(list(f))
with open(path, newline='\r') as f:
    print(f.readlines())
with open(path, newline='\r\n') as f:
    print(f.readlines())
with open(path, 'rb') as f:
    print(f.read())

# seek/tell round trips, including after multi-byte characters
with open(path, 'w') as f:
    f.write('first\nsécond\r\nthird\nlast')
with open(path) as f:
    marks = []
    while True:
        pos = f.tell()
        line = f.readline()
        if not line:
            break
        marks.append((pos, line))
    print(marks)
    for pos, line in reversed(marks):
        f.seek(pos)
        print(pos, repr(f.readline()) == repr(line))
    print(f.seek(0, 2), repr(f.read()))

# newline translation on write
with open(path, 'w', newline='\r\n') as f:
    f.write('a\nb\n')
with open(path, 'rb') as f:
    print(f.read())
with open(path, 'w', newline='') as f:
    f.write('a\nb\r')
with open(path, 'rb') as f:
    print(f.read())

# append and r+
with open(path, 'w') as f:
    f.write('12345')
with open(path, 'a') as f:
    print(f.tell())
    f.write('678')
with open(path, 'r+') as f:
    print(f.read(2))
    f.seek(0)
    f.write('ab')
    f.seek(0)
    print(f.read())

# encodings
for enc in ['utf-8', 'latin-1', 'ascii', 'utf-16', 'utf-16-be', 'utf-32']:
    with open(path, 'w', encoding=enc) as f:
        f.write('ab\nc' if enc == 'ascii' else 'aé\n€' if 'utf' in enc else 'aé\nx')
    with open(path, 'rb') as f:
        raw = f.read()
    with open(path, encoding=enc) as f:
        print(enc, raw, repr(f.read()), f.encoding)
with open(path, 'wb') as f:
    f.write(b'ok \xff\xfe bad')
with open(path, errors='replace') as f:
    print(repr(f.read()))
with open(path, errors='surrogateescape') as f:
    print(repr(f.read()))
with open(path, encoding='utf-8') as f:
    attempt(f.read)
with open(path, 'w', encoding='ascii', errors='xmlcharrefreplace') as f:
    f.write('é€')
with open(path, 'rb') as f:
    print(f.read())

# line buffering and reconfigure
f = open(path, 'w', buffering=1)
print(f.line_buffering)
f.reconfigure(line_buffering=False)
print(f.line_buffering)
f.write('x')
f.close()

# errors
attempt(lambda: open(path, 'rw'))
attempt(lambda: open(path, 'rr'))
attempt(lambda: open(path, 'q'))
attempt(lambda: open(path, 'tb'))
attempt(lambda: open(path, 'rt', buffering=0))
attempt(lambda: open(path, 'rb', encoding='utf-8'))
attempt(lambda: open(path, 'rb', errors='strict'))
attempt(lambda: open(path, 'rb', newline=''))
attempt(lambda: open(path, newline='x'))
attempt(lambda: open(path, encoding='no-such-codec'))
attempt(lambda: open(1.5))
attempt(lambda: open(path + '.missing/x'))
attempt(lambda: open('.', 'r'))
with open(path) as f:
    attempt(lambda: f.write('x'))
    attempt(lambda: f.seek(1, 1))
    attempt(lambda: f.seek(1, 2))
    attempt(lambda: f.seek(-1))
    attempt(lambda: f.seek(0, 5))
with open(path, 'w') as f:
    attempt(f.read)
    attempt(lambda: f.write(5))
attempt(f.read)
attempt(lambda: f.write('x'))
attempt(f.tell)
attempt(f.flush)
print(repr(f))

try:
    import os
    os.remove(path)
except (ImportError, AttributeError):  # no os module yet
    pass
