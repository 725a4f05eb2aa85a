# str formatting of subclasses with __str__, %c with __index__ objects,
# identity of s * 1 and ''.join([s]).
class S(str):
    def __str__(self):
        return '__str__ overridden'
s = S('xxx')
print("%s" % s, "{}".format(s), "{:>5}".format(s), f"{s}", format(s, ""), str.__format__(s, ""))

class PseudoInt:
    def __init__(self, value):
        self.value = int(value)
    def __index__(self):
        return self.value
print('%c' % PseudoInt(109), '%c' % 109, '%x' % PseudoInt(109), '%c' % 'z')
for bad in (PseudoInt(0x110000), 1.5, 'ab', PseudoInt(-1)):
    try:
        '%c' % bad
    except (TypeError, OverflowError) as e:
        print(type(e).__name__, e)

a = '123abc1@'
print(a * 1 is a, 1 * a is a, a * 2 is a, a * 0 == '', ''.join([a]) is a, '-'.join([a]) is a)
class Sub(str):
    pass
b = Sub('abcd')
j = ''.join([b])
print(j is b, type(j).__name__, type(b * 1).__name__, j)
