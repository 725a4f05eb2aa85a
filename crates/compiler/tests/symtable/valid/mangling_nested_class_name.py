class C:
    class __Inner:
        __v = 1
    def __f(self):
        pass
