# bytearray.__init__ refills an existing bytearray; join exports the
# separator while a custom iterator runs.
ba = bytearray()
bytearray.__init__(ba, 'abc\xbd\u20ac', encoding='latin1', errors='replace')
print(ba)
ba.__init__(b'xy')
print(ba)
ba.__init__(3)
print(ba)
ba.__init__()
print(ba)
class B(bytearray):
    def __init__(self, x):
        super().__init__(x * 2)
print(B(b'ab'), type(B(b'ab')).__name__)
class Lazy(bytearray):
    def __init__(self, *args):
        pass
print(Lazy(b'ignored'))

array = bytearray(b',')
def iterator():
    array.clear()
    yield b'A'
    yield b'B'
try:
    array.join(iterator())
except BufferError as e:
    print(type(e).__name__, e)
print(array, bytearray(b'-').join([b'a', bytearray(b'b'), memoryview(b'c')]))
array.clear()
print(array)
