lambda x, **x: 0
