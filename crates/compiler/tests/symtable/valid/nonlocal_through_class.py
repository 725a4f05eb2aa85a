def f():
    x = 1
    class C:
        def m(self):
            nonlocal x
            x = 2
