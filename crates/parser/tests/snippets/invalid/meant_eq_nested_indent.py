class C:
    def m(self):
        while self.x = 0:
            pass
