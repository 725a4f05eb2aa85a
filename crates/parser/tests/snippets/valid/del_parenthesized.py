del (a)
del (a), b
del [a, b]
del (a, [b, c])
