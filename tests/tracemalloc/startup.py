# Tracing from the start: -X tracemalloc[=N], PYTHONTRACEMALLOC (ignored
# with -E), and the errors for bad values.
import os
import subprocess
import sys

CODE = "import tracemalloc; print(tracemalloc.is_tracing(), tracemalloc.get_traceback_limit())"


def run(*args, env=None):
    full = dict(os.environ)
    full.pop("PYTHONTRACEMALLOC", None)
    full.update(env or {})
    p = subprocess.run([sys.executable, *args], capture_output=True, env=full)
    err = p.stderr.decode()
    key = [line for line in err.splitlines() if "frames" in line]
    return p.returncode, p.stdout.decode().strip(), key


# The first -X tracemalloc counts; the main script's objects have tracebacks.
script = CODE + "\nx = object()\ntb = tracemalloc.get_object_traceback(x)\nprint(tb[0].lineno, len(tb))"
print("-X", run("-X", "tracemalloc=3", "-X", "tracemalloc", "-c", script))
print("env", run("-c", CODE, env={"PYTHONTRACEMALLOC": "10"}))
print("-E", run("-E", "-X", "tracemalloc=0", "-c", CODE, env={"PYTHONTRACEMALLOC": "5"}))
rc, out, key = run("-X", "tracemalloc=abc", "-c", "pass")
print("-X abc", rc != 0, out, any("-X tracemalloc=NFRAME: invalid number of frames" in k for k in key))
rc, out, key = run("-c", "pass", env={"PYTHONTRACEMALLOC": str(2**30)})
print("env 2**30", rc != 0, out, any("the number of frames must be in range [1; 65535]" in k for k in key))
