from dataclasses import dataclass
@dataclass
class Point:
    x: int
    y: int
class Circle:
    __match_args__ = ("center", "r")
    def __init__(self, center, r): self.center, self.r = center, r
def what(v):
    match v:
        case {"type": "user", "name": str(name), **rest}:
            return f"user {name} extra={rest}"
        case {"type": t}:
            return f"typed {t}"
        case Point(x=0, y=0):
            return "origin"
        case Point(x=0, y=y) | Point(x=y, y=0):
            return f"on an axis at {y}"
        case Point(x, y) if x == y:
            return f"diagonal {x}"
        case Circle(Point(x=cx), r=r) if r > 1:
            return f"big circle at x={cx} r={r}"
        case Circle():
            return "small circle"
        case int(n) | float(n):
            return f"number {n}"
        case str() as s:
            return f"string {s!r}"
        case _:
            return "unknown"
for v in [{"type": "user", "name": "ann", "age": 3}, {"type": "x", "k": 1}, Point(0, 0), Point(0, 5), Point(7, 0), Point(2, 2), Point(1, 2),
          Circle(Point(1, 1), 5), Circle(Point(1, 1), 1), 3, 2.5, "s", [1]]:
    print(what(v))
