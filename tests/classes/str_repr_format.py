class A:
    def __repr__(self): return "A-repr"
class B(A):
    def __str__(self): return "B-str"
print(A(), str(A()), repr(B()), str(B()), [B()], f"{B()}", "%s %r" % (B(), B()), format(B()))
class Bad:
    def __repr__(self): return 42
try:
    repr(Bad())
except TypeError as e:
    print(e)
class Fmt:
    def __format__(self, spec):
        return f"<{spec}>"
print(format(Fmt(), "x"), f"{Fmt():>3}", "{:q}".format(Fmt()))
try:
    format(object(), "x")
except TypeError as e:
    print(e)
class BytesLike:
    def __bytes__(self): return b"raw"
print(bytes(BytesLike()))
