[last := x for x in data]
any((w := x) > 0 for x in xs)
