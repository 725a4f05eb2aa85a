with (a, b,):
    pass
with (a as x,):
    pass
