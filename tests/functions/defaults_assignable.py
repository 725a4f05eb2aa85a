def f(a, b=2, *, c=3): return a, b, c
print(f.__defaults__, f.__kwdefaults__)
f.__defaults__ = (10, 20)
print(f(), f(1))
f.__kwdefaults__ = {'c': 30}
print(f(1), f.__kwdefaults__)
del f.__defaults__
try: f()
except TypeError as e: print(e)
f.__kwdefaults__ = None
try: f(1)
except TypeError as e: print(e)
for v in (1, [1]):
    try: f.__defaults__ = v
    except TypeError as e: print(e)
    try: f.__kwdefaults__ = v
    except TypeError as e: print(e)
