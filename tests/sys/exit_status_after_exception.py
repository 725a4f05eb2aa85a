import sys
print("exception propagates; exit status 1", flush=True)
def f():
    raise LookupError("unhandled")
f()
