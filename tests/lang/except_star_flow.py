# except* (PEP 654): splitting groups across clauses, naked exceptions,
# re-raising the unhandled rest, and exceptions raised by clauses.

def show(eg, indent=""):
    if isinstance(eg, BaseExceptionGroup):
        print(indent + type(eg).__name__ + ": " + eg.message)
        for e in eg.exceptions:
            show(e, indent + "  ")
    else:
        print(indent + repr(eg))

try:
    raise ExceptionGroup("eg", [ValueError(1), TypeError(2), ValueError(3)])
except* ValueError as e:
    print("value errors:")
    show(e)
except* TypeError as e:
    print("type errors:")
    show(e)

try:
    try:
        raise ExceptionGroup("eg", [ValueError(1), KeyError(2)])
    except* ValueError:
        print("handled ValueError part")
except ExceptionGroup as rest:
    print("unhandled rest:")
    show(rest)

try:
    raise ValueError("naked")
except* ValueError as e:
    print("naked wrapped:")
    show(e)

try:
    try:
        raise ExceptionGroup("eg", [ValueError(1)])
    except* ValueError:
        raise KeyError("new")
except Exception as e:
    print("raised in clause:")
    show(e)

try:
    try:
        raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])
    except* ValueError:
        raise KeyError("new")
except Exception as e:
    print("raised in clause with an unhandled rest:")
    show(e)

try:
    try:
        raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])
    except* ValueError:
        raise
except ExceptionGroup as e:
    print("bare raise keeps the original structure:")
    show(e)

try:
    raise ExceptionGroup("eg", [ValueError(1)])
except* TypeError:
    print("not reached")
except* ValueError:
    print("second clause matched")
else:
    print("no else")
finally:
    print("finally")

try:
    try:
        raise ExceptionGroup("eg", [ValueError(1)])
    except* (TypeError, ValueError) as e:
        print("tuple of types:", type(e).__name__)
except Exception:
    print("not reached")

for bad in [ExceptionGroup, int]:
    try:
        try:
            raise ExceptionGroup("eg", [ValueError(1)])
        except* bad:
            pass
    except TypeError as e:
        print(type(e).__name__, e)

try:
    pass
except* ValueError:
    print("not reached")
else:
    print("else runs when nothing is raised")
