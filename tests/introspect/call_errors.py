# Which error a bad call reports first: keywords before the positional count.
def f0():
    pass


def f1(a, *, k):
    pass


def f2(a, b=1):
    pass


def f3(a, /, b):
    pass


calls = [
    lambda: f0(1, x=1),
    lambda: f1(1, 2, k=3),
    lambda: f2(1, 2, 3),
    lambda: f2(1, 2, 3, b=4),
    lambda: f1(1, 2),
    lambda: f0(1),
    lambda: f3(1, 2, 3, a=1),
    lambda: (lambda: 0)(1, y=2),
]
for call in calls:
    try:
        call()
    except TypeError as e:
        print(e)
