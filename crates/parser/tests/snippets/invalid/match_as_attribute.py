match x:
    case y as a.b:
        pass
