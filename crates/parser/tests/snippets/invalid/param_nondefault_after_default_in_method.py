class K:
    def m(self):
        pass

    def n(self):
        def g(self, a=1, b): pass
