class E(Exception):
    def __str__(self):
        raise RuntimeError
try:
    raise KeyError("a")
except KeyError as k:
    raise E() from k
