try:
    compile("x = (1,\n", "<snippet>", "exec")
except SyntaxError as e:
    print(repr(e.msg), e.lineno, e.offset, e.filename)
try:
    exec("def f(:\n    pass")
except SyntaxError as e:
    print(e.msg, e.lineno, e.offset, e.text)
eval("1 +* 2")
