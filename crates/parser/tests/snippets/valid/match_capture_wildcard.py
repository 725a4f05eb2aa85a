match x:
    case [a, _]:
        pass
    case name:
        pass
