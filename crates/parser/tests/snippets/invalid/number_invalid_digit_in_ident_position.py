if 1 in2:
    pass
