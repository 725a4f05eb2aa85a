match p:
    case Point(x=0):
        pass
