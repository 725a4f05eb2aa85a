# os.posix_spawn / posix_spawnp: spawning, file actions, attributes and
# CPython's argument errors.
import os
import signal
import sys
import tempfile


def show(f, *a, **k):
    try:
        r = f(*a, **k)
        print("ok", type(r).__name__)
        return r
    except Exception as e:
        print(type(e).__name__, e)


ex = sys.executable
print(os.POSIX_SPAWN_OPEN, os.POSIX_SPAWN_CLOSE, os.POSIX_SPAWN_DUP2)

# A child writing to a file we open for it with a file action.
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "out.txt")
    code = "import sys; sys.stdout.write('hello from child')"
    pid = os.posix_spawn(ex, [ex, "-I", "-S", "-c", code], os.environ,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)])
    _, status = os.waitpid(pid, 0)
    print("exit", os.waitstatus_to_exitcode(status))
    with open(out) as f:
        print(f.read())

    # dup2 and close actions; the environment argument is used.
    with open(out, "wb") as f:
        code = "import os, sys; sys.stdout.write(os.environ.get('SPAWN_VAR', '?'))"
        pid = os.posix_spawnp(os.path.basename(ex) if False else ex, [ex, "-I", "-S", "-c", code],
                              {"SPAWN_VAR": "from-env", "PATH": os.environ.get("PATH", "")},
                              file_actions=[(os.POSIX_SPAWN_DUP2, f.fileno(), 1), (os.POSIX_SPAWN_CLOSE, 0)])
        _, status = os.waitpid(pid, 0)
        print("exit", os.waitstatus_to_exitcode(status))
    with open(out) as f:
        print(f.read())

# Exit status and signals of the spawned process.
pid = os.posix_spawn(ex, [ex, "-I", "-S", "-c", "raise SystemExit(7)"], os.environ)
print("exit", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
pid = os.posix_spawn(ex, [ex, "-I", "-S", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGUSR1)"], os.environ,
                     setsigdef=[signal.SIGUSR1])
print("exit", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
pid = os.posix_spawn(ex, [ex, "-I", "-S", "-c", "pass"], os.environ, setpgroup=0, resetids=True,
                     setsigmask=[signal.SIGUSR2], file_actions=None)
print("exit", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))

# Errors.
try:
    os.posix_spawn("no_such_executable", ["no_such_executable"], os.environ)
except FileNotFoundError as e:
    print("FileNotFoundError", e.errno, e.filename)
show(os.posix_spawn, ex, 5, os.environ)
show(os.posix_spawn, ex, [], os.environ)
show(os.posix_spawn, ex, [""], os.environ)
show(os.posix_spawn, ex, [ex], 5)
show(os.posix_spawn, 5, [ex], {})
show(os.posix_spawnp, ex, [ex], {"a=b": "1"})
show(os.posix_spawn, ex, [ex], {}, resetids=None)
show(os.posix_spawn, ex, [ex], {}, setpgroup="023")
show(os.posix_spawn, ex, [ex], {}, setsigmask=34)
show(os.posix_spawn, ex, [ex], {}, setsigmask=["j"])
show(os.posix_spawn, ex, [ex], {}, setsigdef=[signal.NSIG])
show(os.posix_spawn, ex, [ex], {}, setsigmask=[0])
show(os.posix_spawn, ex, [ex], {}, file_actions=5)
for fa in [None, (), (None,), (12345,), (os.POSIX_SPAWN_CLOSE,), (os.POSIX_SPAWN_CLOSE, 1, 2),
           (os.POSIX_SPAWN_CLOSE, None), (os.POSIX_SPAWN_OPEN, 3, "a\0", 0, 0),
           (os.POSIX_SPAWN_OPEN, 3, 5, 0, 0), (os.POSIX_SPAWN_DUP2, 3)]:
    show(os.posix_spawn, ex, [ex], {}, file_actions=[fa])
show(os.posix_spawn, ex, [ex], {}, scheduler=(None, 5))
