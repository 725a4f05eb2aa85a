match x:
    case {}:
        pass
    case {'a': 1, 'b': b}:
        pass
    case {'k': v, **rest}:
        pass
    case {1: _, Color.RED: _, None: _, -1: _}:
        pass
    case {**rest}:
        pass
