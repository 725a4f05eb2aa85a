import marshal

# Code objects survive a round trip (the bytes are each implementation's own).
src = '''
def f(a, b=2, *args, k=3, **kw):
    return (a, b, args, k, sorted(kw))
class C:
    def m(self):
        return [i * 2 for i in range(3)]
print(f(1), f(1, 5, 6, k=7, z=8), C().m())
'''
co = compile(src, 'example', 'exec')
data = marshal.dumps(co)
co2 = marshal.loads(data)
print(type(co2).__name__)
exec(co2, {'__name__': 'copy'})
print(marshal.loads(marshal.dumps((co, 1)))[1])

def g(x):
    return x + 1
print(type(marshal.loads(marshal.dumps(g.__code__))).__name__)


class FakeFile:
    def __init__(self, data=b''):
        self.data = bytearray(data)
        self.pos = 0
    def write(self, b):
        self.data += b
        return len(b)
    def read(self, n=-1):
        chunk = bytes(self.data[self.pos:] if n < 0 else self.data[self.pos:self.pos + n])
        self.pos += len(chunk)
        return chunk
    def readinto(self, buf):
        chunk = self.read(len(buf))
        buf[:len(chunk)] = chunk
        return len(chunk)
    def readline(self):
        return self.read()
    def tell(self):
        return self.pos
    def seek(self, pos, whence=0):
        self.pos = pos
        return pos

f = FakeFile()
print(marshal.dump([1, 'two', 3.0], f), marshal.dump({'a': None}, f, 2))
print(bytes(f.data))
print(marshal.load(f), marshal.load(f))
try:
    marshal.load(f)
except EOFError as e:
    print('EOFError', e)
