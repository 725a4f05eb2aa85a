class C:
    x: int
    y: 'str' = ''
    def m(self) -> C: pass
