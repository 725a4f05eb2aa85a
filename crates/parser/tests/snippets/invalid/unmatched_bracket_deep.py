def f():
    for i in x:
        y = i]
