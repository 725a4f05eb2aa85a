with (a as f(), b):
    pass
