class C:
    import __mod
    import __pkg.sub
    def m(self):
        global __g
        __g = 1
