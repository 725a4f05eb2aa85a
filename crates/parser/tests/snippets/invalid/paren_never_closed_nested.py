f(g(h(1)
