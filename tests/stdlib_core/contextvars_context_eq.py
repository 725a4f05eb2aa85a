# contextvars: Context equality by contents; the types are final.
import contextvars

var = contextvars.ContextVar("var")
other = contextvars.ContextVar("other")
ctx1 = contextvars.Context()

def func1():
    var.set("spam")
    cur = contextvars.copy_context()
    return cur

returned = ctx1.run(func1)
print(returned == ctx1, returned is ctx1, returned != ctx1, returned[var])
print(contextvars.Context() == contextvars.Context(), contextvars.Context() == {}, contextvars.Context() != 1)
ctx2 = ctx1.copy()
ctx2.run(other.set, 1)
print(ctx2 == ctx1, ctx2 != ctx1, len(ctx2), len(ctx1))
try:
    contextvars.Context() < contextvars.Context()
except TypeError as e:
    print(type(e).__name__, e)
for base in (contextvars.Context, contextvars.ContextVar, contextvars.Token):
    try:
        class Sub(base):
            pass
    except TypeError as e:
        print(type(e).__name__, e)
