def f(a, a):
    global b
    b = 1
    global b2
    print(b2)
    global b2
