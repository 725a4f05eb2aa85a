# print() and the standard streams: file=, sep/end, flush=, sys.stdout as a
# TextIOWrapper, writing through sys.stdout.write, replacing sys.stdout.
import sys
from _io import StringIO, TextIOWrapper

print(type(sys.stdout).__name__, sys.stdout.encoding, sys.stdout.errors, sys.stdout.mode, sys.stdout.name)
print(sys.stderr.errors, sys.stderr.line_buffering, sys.stdin.name, sys.stdin.mode)
print(sys.stdout is sys.__stdout__, sys.stderr is sys.__stderr__, sys.stdin is sys.__stdin__)
print(sys.stdout.fileno(), sys.stderr.fileno(), sys.stdin.fileno(), sys.stdout.writable(), sys.stdin.readable())
print(type(sys.stdout.buffer).__name__, type(sys.stdout.buffer.raw).__name__, sys.stdout.buffer.raw.closefd)
print(sys.stdout.write('written\n'))
print('a', 'b', sep='-', end='|\n', flush=True)

buf = StringIO()
print('to', 'buffer', file=buf)
print(1, 2, sep='', end='', file=buf)
print(repr(buf.getvalue()))

saved = sys.stdout
sys.stdout = StringIO()
print('captured')
text = sys.stdout.getvalue()
sys.stdout = saved
print('got', repr(text))

sys.stdout = None
print('dropped')
sys.stdout = saved


class Writer:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)

    def flush(self):
        self.parts.append('<flush>')


w = Writer()
print('x', 'y', file=w, flush=True)
print(w.parts)

try:
    print('x', file=object())
except AttributeError as e:
    print(type(e).__name__, e)
try:
    print('x', sep=1)
except TypeError as e:
    print(type(e).__name__, e)

try:
    input('prompt> ')
except EOFError as e:
    print()
    print(type(e).__name__, e)

print('to stderr', file=sys.stderr)
sys.stderr.write('direct stderr\n')
print(sys.stdin.read() == '')
