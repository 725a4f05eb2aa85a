def f(a: int, b: "str" = "x") -> bool:
    """Doc."""
    return True
print(f.__name__, f.__qualname__, f.__doc__, f.__module__, f.__defaults__, f.__kwdefaults__)
print(f.__annotations__, f.__code__.co_argcount, f.__code__.co_varnames, f.__code__.co_name)
f.custom = 5
print(f.custom, f.__dict__, callable(f), type(f).__name__)
import functools
@functools.wraps(f)
def wrapper(*a): return f(*a)
print(wrapper.__name__, wrapper.__doc__, wrapper.__wrapped__ is f)
def outer():
    def inner(): pass
    return inner
print(outer().__qualname__, (lambda: 0).__name__)
p = functools.partial(pow, 2)
print(p(10), p.func is pow, p.args)
print(functools.reduce(lambda a, b: a * b, range(1, 6)))
@functools.lru_cache(maxsize=None)
def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info().hits)
