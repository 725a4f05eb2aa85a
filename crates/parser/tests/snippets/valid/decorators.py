@dec
@dec.attr
@dec(1, 2)
@x[0].y
@(lambda f: f)
@a if b else c
@x := y
def f():
    pass
@dataclass(frozen=True)
class C:
    pass
