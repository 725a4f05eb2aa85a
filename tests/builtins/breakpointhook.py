# breakpoint() calls sys.breakpointhook; sys.__breakpointhook__ reads
# $PYTHONBREAKPOINT.
import os
import sys
import warnings

print(sys.breakpointhook is sys.__breakpointhook__)


def hook(*args, **kws):
    print("hook", args, sorted(kws.items()))
    return "ret"


sys.breakpointhook = hook
print(breakpoint(1, 2, a=3))
del sys.breakpointhook
try:
    breakpoint()
except RuntimeError as e:
    print(type(e).__name__, e)
sys.breakpointhook = sys.__breakpointhook__

os.environ["PYTHONBREAKPOINT"] = "0"
print(breakpoint())
os.environ["PYTHONBREAKPOINT"] = "builtins.print"
print(breakpoint("via", "print"))
os.environ["PYTHONBREAKPOINT"] = "print"
breakpoint("bare", "name")
os.environ["PYTHONBREAKPOINT"] = "no_such_module_xyz.hook"
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    print(breakpoint())
print([(x.category.__name__, str(x.message)) for x in w])
del os.environ["PYTHONBREAKPOINT"]
