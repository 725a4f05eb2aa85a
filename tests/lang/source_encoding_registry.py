# Source files whose coding cookie names a codec outside the core set
# (decoded through the codec registry, as CPython's tokenizer does), and
# text source (exec/compile of a str), where a cookie is not applied.
import ast
import importlib
import os
import sys
import tempfile

cases = {
    'mod_sjis': ('shift_jis', '# -*- coding: shift_jis -*-\nvalue = "\u3042\u65e5\u672c"\n'),
    'mod_cp932': ('cp932', '# coding=cp932\nvalue = "\u2460\u3042"\n'),
    'mod_euc': ('euc_jp', '#!/usr/bin/env python\n# vim: set fileencoding=euc_jp :\nvalue = "\u6f22\u5b57"\n'),
    'mod_gbk': ('gbk', '# coding: gbk\nvalue = "\u4e2d\u6587"\n'),
    'mod_utf7': ('utf-7', '# coding: utf-7\nvalue = "\u00e9\u20ac"\n'),
    'mod_big5': ('big5', '# coding: big5\nvalue = "\u7e41\u9ad4"\n'),
}
with tempfile.TemporaryDirectory() as d:
    sys.path.insert(0, d)
    for name, (enc, text) in cases.items():
        with open(os.path.join(d, name + '.py'), 'wb') as f:
            f.write(text.encode(enc))
    for name in cases:
        m = importlib.import_module(name)
        print(name, ascii(m.value))
    with open(os.path.join(d, 'mod_bad.py'), 'wb') as f:
        f.write(b'# coding: shift_jis\nvalue = "\x82"\n')
    try:
        import mod_bad
    except SyntaxError as e:
        print(type(e).__name__, e.msg)
    sys.path.remove(d)

exec("# coding: latin-1\nprint(ascii('\u00e9'))")
exec("# coding: shift_jis\nprint(ascii('\u00e9'))")
print(compile("# coding: latin-1\nx = '\u00e9'", 'f', 'exec').co_consts)
print(ast.dump(ast.parse("# coding: latin-1\nx = '\u00e9'")))
print(ast.dump(ast.parse('# coding: cp932\nx = "\u2460"'.encode('cp932'))))
for src in [b'# coding: nonesuch\nx = 1\n', b'# coding: euc_kr\nx = "\xff\xff"\n']:
    try:
        compile(src, 'f', 'exec')
    except SyntaxError as e:
        print(type(e).__name__, e.msg)

# exec of bytes applies the cookie (the bytes are source as a file holds it).
d = {}
exec(b'# coding: cp949\na = "\xaa\xa7"\n', d)
print(ascii(d['a']))
exec(b'#coding:iso8859-15\nb = "\xc3\xa4"\n', d)
print(ascii(d['b']))
print(ascii(eval(b'  # coding: latin-1\n"\xe9"')) if False else ascii(eval(b'"\xc3\xa9"')))
