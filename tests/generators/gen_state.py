import inspect
def g():
    yield 1
gen = g()
print(inspect.getgeneratorstate(gen))
next(gen)
print(inspect.getgeneratorstate(gen), gen.gi_frame.f_lineno)
for _ in gen:
    pass
print(inspect.getgeneratorstate(gen))
def reentrant():
    yield next(me)
me = reentrant()
try:
    next(me)
except ValueError as e:
    print(e)
def gen_with_locals(a):
    b = a * 2
    yield
    yield locals()
x = gen_with_locals(3)
next(x)
print(sorted(next(x).items()))
print(x.gi_code.co_name, inspect.isgenerator(x), inspect.isgeneratorfunction(gen_with_locals))
