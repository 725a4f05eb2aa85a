def f():
    for x in y:
        if x:
            del x()
