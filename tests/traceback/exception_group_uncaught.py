def f():
    raise ExceptionGroup("several", [ValueError("bad value"), TypeError("bad type"), ExceptionGroup("nested", [KeyError("k")])])
f()
