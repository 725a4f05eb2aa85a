def f():
    global g
    return [(g := x) for x in y]
