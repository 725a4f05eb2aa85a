def f():
    try:
        raise ValueError("first")
    except ValueError:
        try:
            raise TypeError("second")
        except TypeError as e:
            return repr(e), repr(e.__context__)
print(f())
def g():
    try:
        try:
            raise KeyError("a")
        except KeyError:
            raise
        finally:
            print("finally during propagation")
    except KeyError as e:
        return "outer " + repr(e)
print(g())
import sys
def h():
    try:
        raise ValueError
    except ValueError:
        pass
    return sys.exc_info()
print(h())
def loop():
    for i in range(3):
        try:
            if i == 1:
                raise ValueError(i)
        except ValueError as e:
            print("caught", e)
            continue
        finally:
            print("finally", i)
loop()
