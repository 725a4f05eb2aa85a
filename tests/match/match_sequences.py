def shape(x):
    match x:
        case []:
            return "empty"
        case [a]:
            return f"one {a}"
        case [a, b]:
            return f"two {a} {b}"
        case [first, *rest] if len(rest) > 3:
            return f"long starting {first}, {len(rest)} more"
        case [first, *middle, last]:
            return f"{first}..{middle}..{last}"
        case _:
            return "not a sequence"
for v in [[], [1], (1, 2), [1, 2, 3], list(range(6)), "ab", {"a": 1}, range(3), 42]:
    print(repr(v), shape(v))
match (1, (2, 3)):
    case (a, (b, c)):
        print(a, b, c)
match [1, [2, [3, 4]]]:
    case [_, [_, [x, *_]]]:
        print("deep", x)
