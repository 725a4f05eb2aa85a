f = lambda: 0
g = lambda a, b=1, *args, c, d=2, **kw: a
h = lambda a, /, b, *, c: a
i = lambda *, k: k
j = lambda *a: a
k = lambda **k: k
l = lambda a=1, /, b=2: a
