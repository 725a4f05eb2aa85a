# sys.exit's argument, sys.intern, uninstantiable sys types, displayhook.
import sys

for arg in [(), (42,), (17, 23), "msg", None, 42]:
    try:
        sys.exit(arg)
    except SystemExit as e:
        print(repr(arg), repr(e.code), e.args)

s = "never interned before" + str(len(sys.argv) + 12345)
print(sys.intern(s) is s)
s2 = s.swapcase().swapcase()
print(sys.intern(s2) is s)


class S(str):
    pass


try:
    sys.intern(S("abc"))
except TypeError as e:
    print(type(e).__name__, e)

for obj in (sys.flags, sys.version_info):
    t = type(obj)
    for make in (lambda: t(obj), lambda: t.__new__(t, obj)):
        try:
            make()
        except TypeError as e:
            print(type(e).__name__, e)
print(type(sys.float_info)(tuple(sys.float_info)) == sys.float_info)

print(sys.is_finalizing())
print(isinstance(sys._stdlib_dir, str))

calls = []
old = sys.displayhook
sys.displayhook = calls.append
eval(compile("6 * 7", "<string>", "single"))
sys.displayhook = old
print(calls)
del sys.displayhook
try:
    eval(compile("42", "<string>", "single"))
except RuntimeError as e:
    print(type(e).__name__, e)
sys.displayhook = old


def bad(obj):
    raise ValueError("bad hook")


sys.displayhook = bad
try:
    eval(compile("42", "<string>", "single"))
except ValueError as e:
    print(type(e).__name__, e)
sys.displayhook = old
