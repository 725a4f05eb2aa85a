def outer(a, b):
    x = 1
    match cmd
        case _:
            pass
