class C:
    xs = [1]
    ys = [x for x in xs]
    zs = [x for x in xs if x in xs]
