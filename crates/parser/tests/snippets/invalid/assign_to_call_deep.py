class K:
    def m(self):
        pass

    def n(self):
        self.x() = 1
