def f(v):
    match v:
        case [a, *b] if a:
            return lambda: (a, b)
