"""A plain module."""
X = 1
loaded = []


def f():
    return "f from mod_a"
