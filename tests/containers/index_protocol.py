# Objects with __index__ as sequence subscripts and repeat counts
# (PyNumber_AsSsize_t): list, tuple, str, bytes, bytearray, range.


class Idx:
    def __init__(self, i):
        self.i = i

    def __index__(self):
        return self.i


def err(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)


seqs = [[0, 10, 20, 30, 40], (0, 10, 20, 30, 40), "abcde", b"abcde", bytearray(b"abcde"), range(5, 10)]
for s in seqs:
    print(type(s).__name__, s[Idx(2)], s[Idx(-1)], s[Idx(1):Idx(3)])
    err(lambda: s[Idx(7)])
    err(lambda: s[Idx(2**100)])
    err(lambda: s[Idx("x")])
    err(lambda: s[1.5])
    err(lambda: s.__getitem__(Idx(0)))
for s in seqs[:5]:
    print(s * Idx(2), Idx(2) * s, s * Idx(-1), s.__mul__(Idx(2)), s.__rmul__(Idx(2)))
    err(lambda: s * Idx(2**100))
    err(lambda: s * 2**100)
    err(lambda: s * -2**100)
    err(lambda: s * Idx("x"))
    err(lambda: s * 1.5)

lst = list("ab!cdefghi!j")
del lst[Idx(-2)]
del lst[Idx(2)]
lst[Idx(-2)] = "X"
lst[Idx(2)] = "Y"
print(lst)
lst = [6, 4]
lst *= Idx(2)
print(lst, lst.__imul__(Idx(2)) is lst, len(lst))
ba = bytearray(b"abc")
ba[Idx(1)] = 65
del ba[Idx(0)]
print(ba)


class TrapInt(int):
    def __index__(self):
        return int(self)


print([1, 2][TrapInt(1)], "ab"[TrapInt()])
