def classify(exc):
    try:
        raise exc
    except (KeyError, IndexError) as e:
        return "lookup-ish " + type(e).__name__
    except ArithmeticError:
        return "arith"
    except Exception as e:
        return "other " + type(e).__name__
    except BaseException:
        return "base"
for exc in [KeyError, IndexError("i"), ZeroDivisionError, OverflowError, ValueError, SystemExit, KeyboardInterrupt, GeneratorExit]:
    print(classify(exc))
excs = (TypeError, ValueError)
try:
    int("x")
except excs as e:
    print("tuple var", type(e).__name__)
try:
    try:
        raise ValueError
    except 42:
        pass
except TypeError as e:
    print(e)
