# The built-in hash modules (_md5, _sha1, _sha256, _sha512, _sha3, _blake2).
import _md5, _sha1, _sha256, _sha512, _sha3, _blake2

inputs = [b"", b"abc", b"a" * 1000, bytes(range(256)) * 3, "héllo".encode()]

ctors = [_md5.md5, _sha1.sha1, _sha256.sha224, _sha256.sha256, _sha512.sha384, _sha512.sha512,
         _sha3.sha3_224, _sha3.sha3_256, _sha3.sha3_384, _sha3.sha3_512, _blake2.blake2b, _blake2.blake2s]
for c in ctors:
    h = c()
    print(h.name, h.digest_size, h.block_size, type(h).__name__, type(h).__module__)
    for data in inputs:
        print(" ", c(data).hexdigest())
    # Incremental updates, copy independence.
    h = c(b"ab")
    h2 = h.copy()
    h.update(b"c")
    h.update(memoryview(b"def"))
    h.update(bytearray(b"ghi"))
    print("  inc", h.hexdigest() == c(b"abcdefghi").hexdigest(), h2.hexdigest() == c(b"ab").hexdigest())
    print("  dig", h.digest() == bytes.fromhex(h.hexdigest()), type(h.digest()).__name__)
    print("  usedforsecurity", c(b"x", usedforsecurity=False).hexdigest() == c(b"x").hexdigest())

for c in (_sha3.shake_128, _sha3.shake_256):
    h = c(b"abc")
    print(h.name, h.digest_size, h.block_size, h._capacity_bits, h._rate_bits, h._suffix)
    for n in (0, 1, 16, 100, 300):
        print(" ", n, h.hexdigest(n))
    print(" ", h.digest(10) == bytes.fromhex(h.hexdigest(10)))
    for bad in (-1, "x", 2**29):
        try:
            h.digest(bad)
        except Exception as e:
            print(" ", type(e).__name__, e)
    try:
        h.digest()
    except TypeError as e:
        print(" ", e)

h = _sha3.sha3_256(b"x")
print(h._capacity_bits, h._rate_bits, h._suffix, _sha3.implementation, _sha3.keccakopt)

# Errors.
for call in [lambda: _md5.md5("abc"), lambda: _md5.md5(1), lambda: _md5.md5().update(),
             lambda: _md5.md5(b"a", b"b"), lambda: _md5.md5(data=b"x"), lambda: _md5.MD5Type(),
             lambda: _sha256.sha256().update("x"), lambda: _sha3.sha3_256("x"),
             lambda: _sha3.sha3_256(string=b"x"), lambda: _sha1.sha1().digest(1),
             lambda: _blake2.blake2b().update(), lambda: _sha3.sha3_256().update()]:
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)
print(_md5.md5(string=b"a").hexdigest())

# BLAKE2 parameters.
B, S = _blake2.blake2b, _blake2.blake2s
print(B.MAX_DIGEST_SIZE, B.MAX_KEY_SIZE, B.PERSON_SIZE, B.SALT_SIZE)
print(S.MAX_DIGEST_SIZE, S.MAX_KEY_SIZE, S.PERSON_SIZE, S.SALT_SIZE)
print(sorted(k for k in dir(_blake2) if k.isupper()))
print(_blake2.BLAKE2B_SALT_SIZE, _blake2.BLAKE2S_PERSON_SIZE, _blake2.BLAKE2S_MAX_KEY_SIZE)
for c in (B, S):
    print(c(b"msg", digest_size=20).hexdigest(), c(digest_size=7).digest_size)
    print(c(b"msg", key=b"secret").hexdigest())
    print(c(b"msg", salt=b"salty", person=b"me").hexdigest())
    print(c(b"msg", fanout=2, depth=3, leaf_size=4096, node_offset=5, node_depth=1,
            inner_size=16, last_node=True).hexdigest())
    print(c(b"msg", last_node=True).hexdigest(), c(b"msg", last_node=False).hexdigest())
    print(c(b"msg", key=b"k" * c.MAX_KEY_SIZE, digest_size=c.MAX_DIGEST_SIZE).hexdigest())
    k = c(b"ab", key=b"kk", digest_size=10)
    k2 = k.copy()
    k.update(b"c")
    print(k.hexdigest(), k2.hexdigest(), k2.digest_size)
for c, kw in [(B, dict(digest_size=0)), (B, dict(digest_size=65)), (S, dict(digest_size=33)),
              (B, dict(salt=b"x" * 17)), (S, dict(salt=b"x" * 9)), (B, dict(person=b"x" * 17)),
              (B, dict(fanout=256)), (B, dict(fanout=-1)), (B, dict(depth=0)), (B, dict(depth=256)),
              (B, dict(leaf_size=-1)), (B, dict(leaf_size=2**32)), (B, dict(node_offset=-1)),
              (B, dict(node_offset=2**64)), (S, dict(node_offset=2**48)), (B, dict(node_depth=256)),
              (B, dict(inner_size=65)), (S, dict(inner_size=33)), (B, dict(key=b"x" * 65)),
              (S, dict(key=b"x" * 33)), (B, dict(key="abc")), (B, dict(digest_size="a")),
              (B, dict(foo=1)), (B, dict(data=b"x"))]:
    try:
        print(c(**kw).hexdigest())
    except Exception as e:
        print(c.__name__, list(kw), type(e).__name__, e)
try:
    B(b"a", b"b")
except TypeError as e:
    print(e)
print(S(node_offset=2**48 - 1, leaf_size=2**32 - 1).hexdigest())
