# -X no_debug_ranges drops the column positions: no carets in either
# traceback printer, no columns from co_positions(). Source lines shown
# in a traceback are decoded with the file's coding cookie.
import os
import subprocess
import sys
import tempfile

d = tempfile.mkdtemp()
path = os.path.join(d, "prog.py")


def run(*args, env=None):
    p = subprocess.run([sys.executable, *args], capture_output=True, env=env)
    out = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
    print(p.returncode, out.replace(path, "PROG"))


with open(path, "w") as f:
    f.write("def f():\n    return 1 + 2\nprint(any(p[2] is not None for p in f.__code__.co_positions()))\nx = 1 / 0\n")
run(path)
run("-X", "no_debug_ranges", path)
env = dict(os.environ, PYTHONNODEBUGRANGES="1")
run(path, env=env)
run("-E", path, env=env)

with open(path, "w") as f:
    f.write("import traceback\ntry:\n    x = {}['k'] + 1\nexcept Exception:\n    traceback.print_exc()\n")
run(path)
run("-X", "no_debug_ranges", path)

for charset, text in [("latin-1", "h\xe9 ho"), ("utf-8", "h\xe9 ho"), ("cp1252", "\u20ac5"), ("GBK", "\u4e02\u5100")]:
    with open(path, "w", encoding=charset) as f:
        f.write("# coding: {0}\nif 1:\n    raise RuntimeError('{1}')\n".format(charset, text))
    run(path)
os.unlink(path)
os.rmdir(d)
