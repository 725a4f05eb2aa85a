f(g(a=1, b))
