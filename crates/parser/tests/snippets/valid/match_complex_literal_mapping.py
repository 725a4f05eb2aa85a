match x:
    case {0j: a, 1+1j: b}:
        pass
