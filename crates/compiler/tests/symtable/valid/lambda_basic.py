f = lambda a, b=c, *d, e=g, **h: a + b + i
