match x:
    case a | b:
        pass
    case _:
        pass
