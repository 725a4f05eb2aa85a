match x:
    case {0: *a}:
        pass
