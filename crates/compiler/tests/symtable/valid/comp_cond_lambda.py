fs = [lambda: x for x in range(3) if (lambda: x)]
