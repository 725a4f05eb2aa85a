class C:
    def m(self, xs):
        return any((n := x) for x in xs), n
