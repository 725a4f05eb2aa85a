s = slice(1, 10, 2)
print(s, s.start, s.stop, s.step, s.indices(5), slice(None).indices(3), slice(-1, None, -1).indices(4))
print(list(range(10))[s], "abcdefghij"[s], (1, 2, 3)[slice(None, None, -1)])
class Seq:
    def __getitem__(self, k):
        return k
q = Seq()
print(q[1], q[1:2], q[::3], q[1:2, 3], q[...], q[:, None])
print(slice(1, 2) == slice(1, 2), repr(slice(None)))
try:
    hash(slice(1))
except TypeError as e:
    print(e)
try:
    [1, 2][::0]
except ValueError as e:
    print(e)
l = list(range(6))
l[slice(0, 6, 2)] = ["a", "b", "c"]
print(l)
try:
    l[::2] = [1]
except ValueError as e:
    print(e)
