# hashlib (falling back to the built-in hash modules when _hashlib is
# missing) and hmac.
import hashlib
import hmac
import warnings

names = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256",
         "sha3_384", "sha3_512", "blake2b", "blake2s"]
print(sorted(hashlib.algorithms_guaranteed))
for n in names:
    h = hashlib.new(n, b"The quick brown fox")
    h.update(b" jumps over the lazy dog")
    print(n, h.name, h.digest_size, h.block_size, h.hexdigest())
    print("  ", getattr(hashlib, n)(b"x").hexdigest() == hashlib.new(n, b"x").hexdigest())
    print("  ", hashlib.new(n.upper() if n in ("md5", "sha1") else n, data=b"y").hexdigest())
print(hashlib.new("shake_128", b"abc").hexdigest(20), hashlib.shake_256(b"abc").hexdigest(40))
print(hashlib.sha256(usedforsecurity=False).hexdigest())
try:
    hashlib.new("nope")
except ValueError as e:
    print("ValueError", e)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    print(hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 100).hex())
    print(hashlib.pbkdf2_hmac("sha1", b"password", b"salt", 2, dklen=25).hex())
    print(hashlib.pbkdf2_hmac("sha512", b"pw", b"NaCl", 10, 100).hex())

import io
print(hashlib.file_digest(io.BytesIO(b"file contents" * 1000), "sha256").hexdigest())

for d in ["md5", "sha1", "sha256", "sha512", "sha3_256", "blake2b", hashlib.sha384]:
    m = hmac.new(b"key", b"The quick brown fox jumps over the lazy dog", d)
    print(m.name, m.digest_size, m.block_size, m.hexdigest())
    m2 = m.copy()
    m.update(b"!")
    print("  ", m.hexdigest() != m2.hexdigest(), hmac.digest(b"key", b"msg", d).hex())
print(hmac.new(b"k" * 200, b"long key", "sha256").hexdigest())
print(hmac.compare_digest(b"abc", b"abc"), hmac.compare_digest("abc", "abd"), hmac.compare_digest(b"a", b"ab"))
try:
    hmac.new(b"key")
except TypeError as e:
    print("TypeError", e)
try:
    hmac.compare_digest("é", "é")
except TypeError as e:
    print("TypeError", e)
