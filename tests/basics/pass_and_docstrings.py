def f():
    "the docstring"
    pass
class C:
    """class doc"""
print(f.__doc__, C.__doc__)
def g():
    x = 1
print(g.__doc__)
print(__name__)
print(__doc__)
