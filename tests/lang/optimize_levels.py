# -O / -OO: sys.flags.optimize, __debug__, asserts and `if __debug__:`
# blocks removed, docstrings dropped at -OO, cache files tagged opt-N;
# compile(optimize=N) in-process.
import subprocess
import sys

CODE = r'''
import sys, builtins, importlib.util
def f():
    "doc"
    assert False, "boom"
    if __debug__:
        print("debug block")
    else:
        print("optimized block")
    return 1
print(sys.flags.optimize, __debug__, builtins.__debug__, f.__doc__)
try:
    print(f())
except AssertionError as e:
    print("assert", e)
class C:
    "cdoc"
print(C.__doc__)
tail = importlib.util.cache_from_source("/x/y.py").rsplit("/", 1)[1]
print(tail.split(".", 2)[2])
'''
for opt in ([], ["-O"], ["-OO"]):
    r = subprocess.run([sys.executable] + opt + ["-c", CODE], capture_output=True, text=True)
    print(opt, r.returncode)
    print(r.stdout, end="")
    print(r.stderr, end="")

src = '''
def g():
    "gdoc"
    assert 0, "no"
    return __debug__
'''
for level in (-1, 0, 1, 2):
    ns = {}
    exec(compile(src, "<s>", "exec", optimize=level), ns)
    try:
        r = ns["g"]()
    except AssertionError as e:
        r = "assert " + str(e)
    print(level, ns["g"].__doc__, r)
try:
    compile("1", "<s>", "eval", optimize=3)
except ValueError as e:
    print(type(e).__name__, e)
