if x not in y and z is not None:
    pass
