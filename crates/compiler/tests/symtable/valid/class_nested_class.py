class A:
    class B:
        def m(self):
            return __class__
    def n(self):
        return super()
