import enum
class Color(enum.Enum):
    RED = 1
    GREEN = 2
def col(c):
    match c:
        case Color.RED:
            return "red"
        case Color.GREEN:
            return "green"
print(col(Color.RED), col(Color.GREEN), col(3))
def cmd(s):
    match s.split():
        case ["go", ("north" | "south") as d]:
            return "going " + d
        case ["take", *items] if items:
            return "taking " + ", ".join(items)
        case ["quit" | "exit"]:
            return "bye"
        case _:
            return "?"
for s in ["go north", "go west", "take a b", "take", "exit", ""]:
    print(repr(s), cmd(s))
match 5:
    case x:
        print("capture binds", x)
match {"a": 1, "b": 2}:
    case {"a": 1, **kw}:
        print(kw)
class NoArgs:
    pass
try:
    match NoArgs():
        case NoArgs(1):
            pass
except TypeError as e:
    print(e)
match = 3
case = 4
print(match + case)
