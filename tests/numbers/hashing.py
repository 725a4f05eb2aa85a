# Hashes as CPython computes them (the harness runs with PYTHONHASHSEED=0).
for s in ['', 'a', 'abc', 'abcdefgh', 'hello world!', 'é', 'café', '\u0100x', '€', 'a\ud800',
          '\U0001f600', 'x\U0010ffff\u00e9', 'ÿÿÿÿÿÿÿÿÿ', '日本語のテキスト']:
    print(repr(s), hash(s))
for v in [0, 1, -1, -2, 2**61 - 1, 2**61, -(2**61), 2**64, -(2**64) + 1, 2**100, -(2**100),
          123456789012345678901234567890, True, False]:
    print(repr(v), hash(v))
for f in [0.0, -0.0, 0.5, 1.5, -2.25, 1e300, 1e-300, 3.14159, 0.1, 2.0**70, 5e-324,
          float('inf'), float('-inf'), 1.0, -1.0, 2.0**61]:
    print(repr(f), hash(f))
for c in [1+2j, complex(0.5, -1.5), -1j, complex(-1, 0), 0j, complex(1e300, 1e-300)]:
    print(repr(c), hash(c))
# Equal numbers hash alike.
print(hash(1) == hash(1.0) == hash(1+0j) == hash(True))
print(hash(2**70) == hash(2.0**70))
n = float('nan')
print(hash(n) == hash(n))
# Cached str hashes are stable.
s = 'xyz' * 10
print(hash(s) == hash(s), hash(s) == hash('xyz' * 10))
d = {}
for k in ['b', 'a', 'c', 1, 2.5, 3+1j]:
    d[k] = hash(k)
print(d)
