# Round trips of the built-in types and of shared and recursive structures.
import pickle
import io

values = [
    None, True, False, 0, -5, 2**70, -(2**70), 3.25, float("inf"), "text", "\u00e9\U0001f600",
    b"bytes", bytearray(b"ba"), (1, "a"), [1, [2, [3]]], {"a": 1, 2: "b"}, {1, 2, 3},
    frozenset({"x"}), complex(1, -1), range(1, 10, 2), slice(None, 5), Ellipsis,
    NotImplemented, int, str, len, dict.fromkeys, [].append.__self__,
]
for proto in range(6):
    for v in values:
        r = pickle.loads(pickle.dumps(v, proto))
        assert r == v or r is v or repr(r) == repr(v), (proto, v, r)
        assert type(r) is type(v), (proto, v, r)
    print("values ok", proto)

for proto in range(6):
    # Shared references stay shared.
    s = [1, 2]
    t = pickle.loads(pickle.dumps([s, s, (s,)], proto))
    print(proto, t, t[0] is t[1], t[2][0] is t[0])
    # A list containing itself.
    l = [1]
    l.append(l)
    r = pickle.loads(pickle.dumps(l, proto))
    print(proto, r[1] is r, len(r))
    # A dict containing itself, and a tuple inside a list inside the tuple.
    d = {}
    d["self"] = d
    r = pickle.loads(pickle.dumps(d, proto))
    print(proto, r["self"] is r)
    lst = []
    tup = (lst,)
    lst.append(tup)
    r = pickle.loads(pickle.dumps(tup, proto))
    print(proto, r[0][0] is r, pickle.dumps(tup, proto))
    r = pickle.loads(pickle.dumps(lst, proto))
    print(proto, r[0][0] is r)
    # Same str/bytes object twice is memoized.
    word = "memo" * 3
    r = pickle.loads(pickle.dumps([word, word], proto))
    print(proto, r[0] is r[1])

# dump/load through files, several pickles in a row.
for proto in range(6):
    f = io.BytesIO()
    pickle.dump([1, 2], f, proto)
    pickle.dump("second", f, proto)
    pickle.Pickler(f, proto).dump({"third": 3})
    f.seek(0)
    print(proto, pickle.load(f), pickle.load(f), pickle.Unpickler(f).load(), f.read())

# Pickler/Unpickler reuse the memo across dumps until clear_memo().
f = io.BytesIO()
p = pickle.Pickler(f, 2)
x = ["shared"]
p.dump(x)
p.dump(x)
p.clear_memo()
p.dump(x)
print(f.getvalue())
f.seek(0)
u = pickle.Unpickler(f)
a = u.load()
b = u.load()
c = u.load()
print(a is b, a is c, a == c)

# Loading protocol 0/1 data written by hand, including Python 2 strings.
print(pickle.loads(b"S'abc'\np0\n."))
print(pickle.loads(b"S'a\\nb'\n."))
print(pickle.loads(b"U\x03abcq\x00.", encoding="bytes"))
print(pickle.loads(b"T\x03\x00\x00\x00\xe9t\xe9.", encoding="latin1"))
print(pickle.loads(b"(lp0\nI1\naI2\na."))
print(pickle.loads(b"(dp0\nS'a'\np1\nI1\ns."))
print(pickle.loads(b"L123456789012345678901234567890L\n."))
print(pickle.loads(b"I00\n."), pickle.loads(b"I01\n."), pickle.loads(b"I42\n."))
print(pickle.loads(b"F1.5\n."), pickle.loads(b"Vcaf\\u00e9\n."))
print(pickle.loads(b"c__builtin__\nset\n((lI1\natR."))
print(pickle.loads(b"cexceptions\nValueError\n(S'x'\ntR."))
print(type(pickle.loads(b"(i__builtin__\nobject\n.")))
print(pickle.loads(b"\x80\x02c__builtin__\nxrange\nK\x00K\x05K\x01\x87R."))
print(pickle.loads(b"\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00]\x94(K\x01K\x02e."))
print(pickle.loads(b"(K\x01K\x022."), pickle.loads(b"(K\x011N."))
