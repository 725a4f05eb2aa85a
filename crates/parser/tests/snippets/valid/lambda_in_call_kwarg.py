sorted(xs, key=lambda x: (x[1], -x[0]))
