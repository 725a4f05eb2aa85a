# Docstrings and text signatures of the builtin functions: __doc__,
# __text_signature__, inspect.signature, functools.update_wrapper.
import builtins
import functools
import inspect

NAMES = ["abs", "all", "any", "ascii", "bin", "callable", "chr", "delattr",
         "divmod", "format", "getattr", "globals", "hasattr", "hash", "hex",
         "id", "isinstance", "issubclass", "iter", "len", "locals", "max",
         "min", "next", "oct", "ord", "pow", "print", "repr", "round",
         "setattr", "sorted", "sum", "aiter", "anext", "exec", "eval",
         "compile", "input", "breakpoint"]

for name in NAMES:
    f = getattr(builtins, name)
    doc = f.__doc__
    first = doc.split("\n")[0] if doc else doc
    print(name, repr(f.__text_signature__), repr(first))
    try:
        print("  signature:", inspect.signature(f))
    except ValueError as e:
        print("  signature:", type(e).__name__, e)

sig = inspect.signature(len)
print([(p.name, p.kind.name) for p in sig.parameters.values()])
sig = inspect.signature(sorted)
print([(p.name, p.kind.name, p.default) for p in sig.parameters.values()])
print(inspect.signature(divmod).bind(7, 2).arguments)
try:
    inspect.signature(divmod).bind(7)
except TypeError as e:
    print(type(e).__name__, e)


def wrapper():
    pass


functools.update_wrapper(wrapper, max)
print(wrapper.__name__, wrapper.__doc__.startswith("max("), wrapper.__annotations__)


@functools.wraps(len)
def my_len(x):
    return len(x)


print(my_len.__name__, my_len.__doc__, my_len.__wrapped__ is len, my_len([1, 2]))
print(inspect.signature(my_len))
print(len.__name__, len.__qualname__, len.__module__, repr(len.__self__)[:24])
