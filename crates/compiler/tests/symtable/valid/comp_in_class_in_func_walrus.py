def f():
    class C:
        def m(self):
            return [(w := i) for i in ()]
