match x:
    case 1 | 2 | 3 as n:
        pass
    case [1, 2] as lst:
        pass
    case (1 | 2) as y:
        pass
    case ((a)):
        pass
