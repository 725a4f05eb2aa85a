f = lambda: [(v := x) for x in y]
