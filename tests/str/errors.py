# Argument errors of str methods, with CPython's messages.
cases = [
    lambda: "a".zfill(), lambda: "a".upper(1), lambda: "a".find(), lambda: "a".center(), lambda: "a".join(),
    lambda: "a".partition(), lambda: "a".split(1, 2, 3), lambda: "a".split(x=1), lambda: "a".expandtabs(1, 2),
    lambda: "a".splitlines(1, 2), lambda: "a".removeprefix(), lambda: "a".format_map(), lambda: str.maketrans(),
    lambda: "a".translate(), lambda: "a".count(), lambda: "a".replace("a", "b", count=1), lambda: "a".upper(x=1),
    lambda: "a".zfill(x=1), lambda: "a".startswith(), lambda: "a".startswith(1), lambda: "a".endswith((1,)),
    lambda: "a".find(1), lambda: "a".count(1), lambda: "a".index(1), lambda: "a".split(1), lambda: "a".replace(1, ""),
    lambda: "a".replace("", 1), lambda: "a".strip(1), lambda: "a".lstrip(1), lambda: "a".center(3, 1),
    lambda: "a".center(3, "ab"), lambda: "a".partition(1), lambda: "a".partition(""), lambda: "a".rsplit(""),
    lambda: "a".removeprefix(1), lambda: "a".removesuffix(1), lambda: "a".zfill("a"), lambda: "a".expandtabs("x"),
    lambda: "a".find("a", "x"), lambda: "a".join([1]), lambda: "a".join(["x", 2]), lambda: "a".join(5),
    lambda: "a".translate({97: 1.5}), lambda: "a".translate({97: 0x110000}), lambda: str.maketrans(1),
    lambda: str.maketrans({"ab": 1}), lambda: str.maketrans("a", "bc"), lambda: str.maketrans("a", "b", 1),
    lambda: str.maketrans(1, 2), lambda: str.maketrans({1.5: 2}), lambda: "a".index("b"), lambda: "a".rindex("b"),
    lambda: "a" * 1.5, lambda: "a" * (2**70), lambda: "a" + 1, lambda: 1 + "a", lambda: "a" < 1, lambda: "a"[1],
    lambda: "a"[2**70], lambda: 1 in "a", lambda: str(object=1, x=2), lambda: str(1, 2, 3, 4), lambda: str(x=1),
    lambda: "a".ljust(2**70), lambda: "a".splitlines(keepends="x"), lambda: "a".split(maxsplit="x"),
    lambda: "a".expandtabs(tabsize="x"), lambda: "a".endswith(), lambda: "a".find("a", 1, 2, 3),
    lambda: "a".strip("x", "y"), lambda: "a".ljust(1, 2, 3), lambda: "a".replace("a"), lambda: "a".partition(x=1),
    lambda: str.upper(5), lambda: "".join(["a", None]), lambda: "abc"[1:2:0], lambda: "abc"["x":],
    lambda: "a".swapcase(1), lambda: "a".isdigit(1), lambda: "x".title(None),
]
for c in cases:
    try:
        print(repr(c()))
    except Exception as e:
        print(type(e).__name__, e)
