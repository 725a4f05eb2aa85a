lambda: 1: int
