first, *rest = items
*init, last = items
[a, *b, c] = range(10)
