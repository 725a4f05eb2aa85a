(a, *b), c = x
[*a], = y
