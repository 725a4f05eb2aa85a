# Bound methods expose __func__ and __self__; bool(memoryview) is len != 0.
class A:
    def m(self):
        return 1


a = A()
bm = a.m
print(bm.__func__ is A.m, bm.__self__ is a, bm.__name__)
print(bool(memoryview(b"")), bool(memoryview(b"x")), bool(memoryview(bytearray(3))[3:]))
m = memoryview(b"ab")
m.release()
try:
    bool(m)
except ValueError as e:
    print(type(e).__name__, e)
