# 'break'/'continue' outside a loop are reported at their own line, also
# inside with/finally blocks.
for src in ["with object() as obj:\n    break\n", "try:\n    pass\nfinally:\n    continue\n", "if x:\n    break\n"]:
    try:
        compile(src, '<t>', 'exec')
    except SyntaxError as e:
        print(e.msg, e.lineno, e.offset)
