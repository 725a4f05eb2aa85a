class C:
    """Doc."""

    x = 1

    def method(self):
        return [i * self.x for i in range(3)]
