class A:
    def f(self):
        class B:
            global q
