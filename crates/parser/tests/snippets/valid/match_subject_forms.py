match a, b:
    case x, y:
        pass
match *a, b:
    case _:
        pass
match (x):
    case _:
        pass
match -x:
    case _:
        pass
