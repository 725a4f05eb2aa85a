@decorator(
    a=1,
    b=2,
)
class C(
    Base,
):
    pass
