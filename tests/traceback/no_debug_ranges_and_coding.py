# -X no_debug_ranges (or PYTHONNODEBUGRANGES) drops the column positions:
# no carets in either traceback printer, no columns from co_positions().
# Source lines shown in a traceback are decoded with the file's coding
# cookie.
import os
import subprocess
import sys
import tempfile

d = tempfile.mkdtemp()
files = []


def add(name, text, encoding="utf-8"):
    path = os.path.join(d, name)
    with open(path, "w", encoding=encoding) as f:
        f.write(text)
    files.append(path)


add("div.py", "def f():\n    return 1 + 2\nprint(any(p[2] is not None for p in f.__code__.co_positions()))\nx = 1 / 0\n")
add("key.py", "import traceback\ntry:\n    x = {}['k'] + 1\nexcept Exception:\n    traceback.print_exc(file=__import__('sys').stdout)\n")
for i, (charset, text) in enumerate([("latin-1", "h\xe9 ho"), ("utf-8", "h\xe9 ho"), ("cp1252", "\u20ac5"), ("GBK", "\u4e02\u5100")]):
    add("enc%d.py" % i, "# coding: {0}\nif 1:\n    raise RuntimeError('{1}')\n".format(charset, text), charset)

runner = """
import sys
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        code = compile(f.read(), path, 'exec')
    try:
        exec(code, {'__name__': '__main__'})
    except Exception:
        sys.stdout.flush()
        sys.__excepthook__(*sys.exc_info())
        sys.stderr.flush()
"""


def run(*opts, env=None):
    p = subprocess.run([sys.executable, *opts, "-c", runner, *files], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, env=env)
    print(p.returncode, p.stdout.decode("utf-8", "replace").replace(d, "DIR"))


run()
run("-X", "no_debug_ranges")
run(env=dict(os.environ, PYTHONNODEBUGRANGES="1"))
for path in files:
    os.unlink(path)
os.rmdir(d)
