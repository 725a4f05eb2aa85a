# StringIO: reading, writing, positions, newline modes, errors.
from _io import StringIO


def attempt(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


s = StringIO()
print(s.write('hello'), s.write(' world'), s.tell())
print(repr(s.getvalue()))
s.seek(0)
print(repr(s.read(5)), s.tell(), repr(s.read()), repr(s.read()))
s.seek(20)
print(s.write('!'), repr(s.getvalue()), len(s.getvalue()))
print(s.truncate(5), repr(s.getvalue()), s.tell())
s.seek(0, 2)
print(s.tell())
print(s.readable(), s.writable(), s.seekable(), s.closed, s.line_buffering)

s = StringIO('one\ntwo\nthree')
print(s.readline(), end='|')
print(s.readline(2), end='|')
print(s.readlines())
s.seek(0)
print([line for line in s])
print(StringIO('a\nb').readlines(1))

# newline modes
for nl in ['\n', None, '', '\r', '\r\n']:
    s = StringIO(newline=nl)
    s.write('a\nb\r\nc\rd')
    print(repr(nl), repr(s.getvalue()), s.newlines)
    s.seek(0)
    print('  ', s.readlines())
s = StringIO('x\r\ny', newline=None)
print(repr(s.getvalue()), s.newlines)

# errors
attempt(lambda: StringIO(1))
attempt(lambda: StringIO().write(1))
attempt(lambda: StringIO().seek(-1))
attempt(lambda: StringIO().seek(1, 1))
attempt(lambda: StringIO().seek(1, 2))
attempt(lambda: StringIO().seek(0, 3))
attempt(lambda: StringIO(newline='x'))
attempt(lambda: StringIO().read('x'))
s = StringIO('abc')
s.close()
print(s.closed)
attempt(s.read)
attempt(s.getvalue)
attempt(lambda: s.write('x'))
attempt(s.tell)
s.close()

with StringIO('ctx') as s:
    print(s.read())
print(s.closed)

# unicode and subclassing
s = StringIO('héllo wörld €')
print(s.read(7), s.tell(), s.read())


class Upper(StringIO):
    def write(self, text):
        return super().write(text.upper())


u = Upper()
print('via print', file=u)
print(repr(u.getvalue()), isinstance(u, StringIO))
