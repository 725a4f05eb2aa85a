def f():
    x = 1
    class C:
        global x
        y = x
        def m(self):
            return x
