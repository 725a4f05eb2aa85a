match p:
    case Point():
        pass
    case Point(0, 0):
        pass
    case Point(x=0, y=y):
        pass
    case mod.Point(1, y=2):
        pass
    case int(n) | float(n):
        pass
