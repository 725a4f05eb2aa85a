class C:
    def m(self):
        return (
            'a',
            f'{self.x!q}',
        )
