class C:
    __a = [__b for __b in __c]
    def m(self):
        return [__d for __d in self.__e]
