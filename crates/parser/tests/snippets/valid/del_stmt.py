del x
del a, b
del (c, d), [e]
del obj.attr, d[k], s[1:2]
