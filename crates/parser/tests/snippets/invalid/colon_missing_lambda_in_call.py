f(lambda x x)
