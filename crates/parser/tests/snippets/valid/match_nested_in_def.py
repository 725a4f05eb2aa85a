def f(cmd):
    match cmd.split():
        case ['go', direction]:
            return direction
        case ['quit' | 'exit']:
            return None
        case _:
            raise ValueError(cmd)
