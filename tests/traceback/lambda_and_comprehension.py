f = lambda x: x.upper()
print([f(v) for v in ["a", None]])
