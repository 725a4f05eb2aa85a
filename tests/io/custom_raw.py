# Python-level raw streams under the native buffered and text layers; IncrementalNewlineDecoder; BufferedRWPair.
import _io
class R(_io._RawIOBase):
    def __init__(self): self.data = b'hello\nworld\n'
    def readable(self): return True
    def readinto(self, b):
        n = min(len(b), len(self.data)); b[:n] = self.data[:n]; self.data = self.data[n:]; return n
print(R().read(3), R().readall(), R().readline())
r = _io.BufferedReader(R())
print(r.readline(), r.read())
t = _io.TextIOWrapper(_io.BufferedReader(R()), encoding='utf-8')
print(list(t))
class W(_io._RawIOBase):
    def __init__(self): self.out = []
    def writable(self): return True
    def write(self, b): self.out.append(bytes(b)); return len(b)
w = W()
t = _io.TextIOWrapper(_io.BufferedWriter(w), encoding='latin-1', newline='\r\n', line_buffering=True)
t.write('a\nb')
print(w.out)
t.write('c')
t.flush()
print(w.out, t.closed)
t.close()
print(t.closed, w.closed)
d = _io.IncrementalNewlineDecoder(None, translate=True)
print(repr(d.decode('a\r')), repr(d.decode('\nb\r')), repr(d.decode('', final=True)), d.newlines, d.getstate())
p = _io.BufferedRWPair(R(), W())
print(p.read(5), p.write(b'x'), p.readable(), p.writable())
