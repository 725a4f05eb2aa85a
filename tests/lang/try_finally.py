# try/finally with return, break, continue and exceptions in every position.

def f1():
    try:
        return "try"
    finally:
        print("finally after return")

print(f1())

def f2():
    try:
        return "try"
    finally:
        return "finally wins"

print(f2())

def f3():
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            print("body", i)
        finally:
            print("finally", i)
    else:
        print("no else after break")
    return i

print(f3())

def f4():
    try:
        raise ValueError("inner")
    finally:
        print("cleanup runs")

try:
    f4()
except ValueError as e:
    print("caught", type(e).__name__, e)

def f5():
    try:
        raise ValueError("first")
    finally:
        raise KeyError("second")

try:
    f5()
except KeyError as e:
    print("caught", repr(e))

def f6():
    # return in finally swallows the exception
    try:
        raise ValueError("lost")
    finally:
        return "swallowed"

print(f6())

def f7():
    while True:
        try:
            try:
                raise TypeError("t")
            finally:
                print("inner finally")
        except TypeError:
            print("handled")
            break
        finally:
            print("outer finally")
    return "done"

print(f7())

def f8():
    for i in range(3):
        try:
            pass
        finally:
            if i == 1:
                break
    return i

print(f8())

def f9(x):
    try:
        if x:
            raise ValueError(x)
    except ValueError as e:
        print("except", e)
        return "from except"
    else:
        print("else")
        return "from else"
    finally:
        print("finally", x)

print(f9(0))
print(f9(1))

def f10():
    result = []
    for i in range(3):
        try:
            try:
                result.append(i)
                if i == 2:
                    return result
            finally:
                result.append("f" + str(i))
        finally:
            result.append("g" + str(i))
    return None

print(f10())

# nested: exception in finally while handling
def f11():
    try:
        try:
            1 / 0
        finally:
            print("finally 1")
    except ZeroDivisionError as e:
        print("outer caught", e)
    try:
        try:
            1 / 0
        except ZeroDivisionError:
            raise IndexError("from handler")
        finally:
            print("finally 2")
    except IndexError as e:
        print("caught", e)

f11()

# while ... else and for ... else
n = 0
while n < 3:
    n += 1
else:
    print("while else", n)
for x in []:
    pass
else:
    print("for else")
i = 0
while i < 10:
    i += 1
    if i == 4:
        break
else:
    print("not reached")
print("i =", i)

# bare raise re-raises the handled exception
def f12():
    try:
        raise KeyError("k")
    except KeyError:
        try:
            raise
        finally:
            print("finally in handler")

try:
    f12()
except KeyError as e:
    print("reraised", repr(e))

def gen_finally():
    try:
        yield 1
        yield 2
    finally:
        print("gen finally")

for v in gen_finally():
    print("got", v)
