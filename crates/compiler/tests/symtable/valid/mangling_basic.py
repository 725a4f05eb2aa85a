class C:
    __x = 1
    __y__ = 2
    def __m(self, __p):
        return self.__x + __p + __q
