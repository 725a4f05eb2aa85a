class C:
    def m(self):
        for i in r:
        pass
