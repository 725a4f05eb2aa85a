g = 0
def bump():
    global g
    g += 1
bump(); bump()
print(g)
def declare():
    global newname
    newname = "created"
declare()
print(newname)
def a():
    x = 1
    def b():
        x = 2
        def c():
            nonlocal x
            x = 3
        c()
        return x
    return x, b()
print(a())
