# Types CPython does not let classes derive from (no Py_TPFLAGS_BASETYPE).
import bz2
import lzma

finals = [bool, type(None), type(NotImplemented), range, slice, memoryview, type(lambda: 0),
          bz2.BZ2Compressor, bz2.BZ2Decompressor, lzma.LZMACompressor, lzma.LZMADecompressor]
for t in finals:
    try:
        class X(t):
            pass
        print(t.__name__, 'subclassed')
    except TypeError as e:
        print(type(e).__name__, e)
    print(t.__name__, bool(t.__flags__ & (1 << 10)))
try:
    type('Y', (int, bool), {})
except TypeError as e:
    print(type(e).__name__, e)
for t in (int, list, dict, object, Exception):
    class Z(t):
        pass
    print(t.__name__, bool(t.__flags__ & (1 << 10)), Z.__mro__[1] is t)
