d = {(lambda: 1): (lambda: 2), **(lambda: 3)()}
