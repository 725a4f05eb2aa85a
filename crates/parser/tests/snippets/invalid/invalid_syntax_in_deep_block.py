def f():
    if a:
        for x in y:
            while z:
                x = = 2
