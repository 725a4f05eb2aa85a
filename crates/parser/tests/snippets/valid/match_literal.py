match x:
    case 1:
        pass
    case -1:
        pass
    case 1.5:
        pass
    case 1 + 2j:
        pass
    case -1 - 2j:
        pass
    case 'str' 'cat':
        pass
    case b'bytes':
        pass
    case None:
        pass
    case True | False:
        pass
