def run(excs):
    try:
        raise ExceptionGroup("group", excs)
    except* ValueError as eg:
        print("ValueErrors:", [str(e) for e in eg.exceptions])
    except* TypeError as eg:
        print("TypeErrors:", repr(eg))
    except* (KeyError, IndexError) as eg:
        print("lookups:", len(eg.exceptions))
run([ValueError("a"), TypeError("b"), ValueError("c")])
run([KeyError(1), IndexError(2)])
try:
    run([OSError("unhandled"), ValueError("h")])
except ExceptionGroup as eg:
    print("escaped:", repr(eg))
try:
    try:
        raise ValueError("naked")
    except* ValueError as eg:
        print("naked wrapped:", repr(eg))
except Exception as e:
    print("unexpected", e)
try:
    try:
        raise ExceptionGroup("g", [ValueError(1)])
    except* ValueError:
        raise KeyError("new")
except Exception as e:
    print("raised in handler:", repr(e), repr(e.__context__))
