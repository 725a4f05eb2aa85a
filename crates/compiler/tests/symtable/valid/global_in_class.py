class C:
    global gx
    gx = 1
