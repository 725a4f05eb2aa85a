match cmd:
    case [x, *rest]:
        pass
    case {'k': v, **kw}:
        pass
    case Point(x=px, y=0) | Point(px, py) as pt:
        pass
    case Const.VALUE:
        pass
    case _:
        pass
