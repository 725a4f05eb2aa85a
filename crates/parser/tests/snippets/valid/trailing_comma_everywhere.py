f(a,)
[a,]
{a,}
{a: b,}
def g(a,): pass
def h(*, a,): pass
lambda a,: a
from x import (a,)
