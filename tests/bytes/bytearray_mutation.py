# bytearray: mutators, slice assignment and deletion, in-place operators.
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

ba = bytearray(b"hello")
alias = ba
ba[0] = 72
ba.append(33)
ba.extend(b" ok")
ba.extend([1, 2])
print(ba, len(ba), ba.pop(), ba.pop(0), ba)
ba[1:3] = b"EEEE"
print(ba)
ba[0:2] = [65, 66, 67]
print(ba)
ba[::2] = b"x" * len(ba[::2])
print(ba)
del ba[0:2]
print(ba)
del ba[::2]
print(ba)
del ba[-1]
print(ba)
ba.insert(0, 0x41)
ba.insert(-1, 0x42)
ba.insert(100, 0x43)
ba.remove(0x42)
print(ba)
ba.reverse()
print(ba, ba is alias)
ba += b"++"
print(ba, alias, ba is alias)
ba *= 2
print(alias)
c = ba.copy()
c.clear()
print(c, ba != c)
print(bytearray(), bytearray(3), bytearray([1, 2]), bytearray("x", "ascii"), bytearray(b"abc").upper(), bytearray(b"a,b").split(b","))
print(repr(bytearray(b"'")), repr(bytearray(b"'\"")), bytearray(b"abc") == b"abc", b"abc" == bytearray(b"abc"), bytearray(b"a") < b"b")
print(bytearray(b"ab") + b"cd", b"ab" + bytearray(b"cd"), bytearray(b"ab") * 2, bytearray(b"a.b").partition(b"."))
print(bytearray(b"abc")[1], bytearray(b"abc")[1:], [x for x in bytearray(b"hi")], 98 in bytearray(b"abc"))
t(lambda: bytearray(b"abc").pop(5))
t(lambda: bytearray().pop())
t(lambda: bytearray(b"abc").remove(5))
t(lambda: bytearray(b"abc").remove(500))
t(lambda: bytearray(b"abc").append(500))
t(lambda: bytearray(b"abc").append("a"))
t(lambda: bytearray(b"abc").extend(5))
t(lambda: bytearray(b"abc").extend("ab"))
t(lambda: bytearray(b"abc").insert(1, 256))
t(lambda: bytearray(b"abc")[5])
t(lambda: bytearray(1.5))
t(lambda: bytearray([300]))
t(lambda: hash(bytearray()))

def setitem(obj, key, value):
    obj[key] = value
    return obj

t(lambda: setitem(bytearray(b"abc"), 0, 300))
t(lambda: setitem(bytearray(b"abc"), 5, 1))
def ext(obj):
    obj[::2] = b"xyz"


def bad(obj):
    obj[0:1] = 5


t(lambda: ext(bytearray(b"abc")))
t(lambda: bad(bytearray(b"abc")))
t(lambda: setitem(b"abc", 0, 1))
x = bytearray(b"abc")
x += memoryview(b"de")
print(x)
try:
    x += "s"
except TypeError as e:
    print(e)
