for v in (0, 1, 2):
    print("zero" if v == 0 else "one" if v == 1 else "many")
print([x if x % 2 else -x for x in range(6)])
f = lambda a, b=2, *c, d, **e: (a, b, c, d, e)
print(f(1, d=4), f(1, 2, 3, d=4, z=5))
print((lambda: 42)())
