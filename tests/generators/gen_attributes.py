def g(): yield 1
x = g(); print(x.gi_frame.f_code.co_name, x.gi_running, x.gi_suspended, x.gi_yieldfrom, x.gi_code.co_name)
next(x); print(x.gi_frame.f_lineno, x.gi_suspended, x.gi_frame.f_locals)
list(x); print(x.gi_frame, x.gi_suspended)
x.__name__ = 'zz'; print(x.__name__, x.__qualname__)
try: x.__name__ = 1
except TypeError as e: print(e)
try: del x.__qualname__
except TypeError as e: print(e)
def outer():
    yield from g()
o = outer(); next(o); print(type(o.gi_yieldfrom).__name__)
async def c(): pass
y = c(); print(y.__name__, y.cr_running, y.cr_await, y.cr_origin, y.cr_suspended, y.cr_frame.f_code.co_name); y.close()
async def a(): yield 1
z = a(); print(z.__name__, z.ag_running, z.ag_await, z.ag_code.co_name)
