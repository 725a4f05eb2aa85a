def f():
    global later
    later = 2
later = 1
