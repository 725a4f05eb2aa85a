@dec
def f():
return
