def lookup(d, k):
    try:
        return d[k]
    except KeyError as e:
        raise LookupError("wrapped") from e
try:
    lookup({}, "x")
except LookupError as e:
    print(repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("during handling")
except ValueError as e:
    print(repr(e.__context__), e.__cause__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("no context") from None
except ValueError as e:
    print(repr(e.__context__), e.__cause__, e.__suppress_context__)
try:
    raise RuntimeError("x") from KeyError
except RuntimeError as e:
    print(repr(e.__cause__))
try:
    raise RuntimeError("x") from 5
except TypeError as e:
    print(e)
