# ast.get_docstring (it imports inspect) and inspect.getsource-style use.
import ast
import inspect

t = ast.parse("def f(x):\n    '''  doc\n    more'''\n    return x\n")
print(repr(ast.get_docstring(t.body[0])), repr(ast.get_docstring(t.body[0], clean=False)), ast.get_docstring(t))

def sample(a, b=2):
    """Sample."""
    return a + b

src = inspect.getsource(sample)
tree = ast.parse(src)
print(ast.dump(tree.body[0].args))
print(ast.get_docstring(tree.body[0]))
