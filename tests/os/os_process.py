# Pipes, descriptors, fork/waitpid, exec, wait statuses, register_at_fork,
# and _posixsubprocess.fork_exec used directly.
import os
import sys
import _posixsubprocess

def flush():
    f = getattr(sys, "stdout", None)
    if f is not None:
        f.flush()

r, w = os.pipe()
print(os.get_inheritable(r), os.get_inheritable(w), os.get_blocking(r))
print(os.write(w, b"abc"), os.write(w, bytearray(b"def")), os.read(r, 2), os.read(r, 100))
os.set_blocking(r, False)
print(os.get_blocking(r))
try:
    os.read(r, 10)
except BlockingIOError as e:
    print(type(e).__name__, e.errno)
os.set_blocking(r, True)
d = os.dup(w)
print(d > w, os.get_inheritable(d))
os.set_inheritable(d, True)
print(os.get_inheritable(d))
os.write(d, b"via dup")
print(os.read(r, 100))
d2 = os.dup2(w, d + 5)
print(d2 == d + 5, os.get_inheritable(d2), os.get_inheritable(os.dup2(w, d2, inheritable=False)))
for fd in (d, d2, w):
    os.close(fd)
print(os.read(r, 10))
os.close(r)
try:
    os.close(r)
except OSError as e:
    print(type(e).__name__, e)
try:
    os.write(1, "str")
except TypeError as e:
    print(type(e).__name__, e)
r, w = os.pipe2(os.O_NONBLOCK)
print(os.get_blocking(r), os.get_inheritable(r))
os.close(r); os.close(w)
print(os.isatty(r))

# fork + waitpid: the child reports through a pipe and its exit status.
calls = []
os.register_at_fork(before=lambda: calls.append("before"), after_in_parent=lambda: calls.append("parent"),
                    after_in_child=lambda: calls.append("child"))
r, w = os.pipe()
flush()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.write(w, ("child %s %s" % (os.getppid() > 0, ",".join(calls))).encode())
    os._exit(7)
os.close(w)
print(os.read(r, 100).decode(), calls)
os.close(r)
wpid, status = os.waitpid(pid, 0)
print(wpid == pid, os.WIFEXITED(status), os.WEXITSTATUS(status), os.waitstatus_to_exitcode(status))
print(os.WIFSIGNALED(status), os.WIFSTOPPED(status), os.WCOREDUMP(status))

flush()
pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), 9)
    os._exit(0)
_, status = os.waitpid(pid, 0)
print(os.WIFSIGNALED(status), os.WTERMSIG(status), os.waitstatus_to_exitcode(status))
try:
    os.waitpid(pid, 0)
except ChildProcessError as e:
    print(type(e).__name__, e)
try:
    os.waitstatus_to_exitcode(0x57f)
except ValueError as e:
    print(type(e).__name__, e)

# exec in a child: its output comes back through a pipe.
r, w = os.pipe()
flush()
pid = os.fork()
if pid == 0:
    os.dup2(w, 1)
    os.execv("/bin/echo", ["echo", "from", "execv"])
os.close(w)
out = b""
while True:
    chunk = os.read(r, 100)
    if not chunk:
        break
    out += chunk
os.close(r)
print(out, os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
for args in ([], ["", "x"], 5):
    try:
        os.execv("/bin/echo", args)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    os.execve("/bin/echo", ["echo"], 5)
except TypeError as e:
    print(type(e).__name__, e)

def fork_exec(argv, exe_list, cwd=None, env=None):
    """Runs argv with its stdout on a pipe; returns (output, status, errpipe data)."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = _posixsubprocess.fork_exec(
        argv, exe_list, True, (err_w,), cwd, env,
        -1, -1, out_r, out_w, -1, -1, err_r, err_w,
        True, False, -1, None, None, None, -1, None, True)
    os.close(out_w)
    os.close(err_w)
    data = os.read(err_r, 1000)
    os.close(err_r)
    out = b""
    while True:
        chunk = os.read(out_r, 1000)
        if not chunk:
            break
        out += chunk
    os.close(out_r)
    _, status = os.waitpid(pid, 0)
    return out, os.waitstatus_to_exitcode(status), data

print(fork_exec([b"echo", b"hi"], [b"/bin/echo"]))
print(fork_exec([b"sh", b"-c", b"echo $FOO; pwd; exit 3"], [b"/nonexistent/sh", b"/bin/sh"], cwd="/", env=[b"FOO=bar"]))
print(fork_exec([b"x"], [b"/nonexistent/x"]))
print(fork_exec([b"x"], [b"/bin/sh"], cwd="/nonexistent"))
try:
    _posixsubprocess.fork_exec(1)
except TypeError as e:
    print(type(e).__name__, e)
print(os.getpid() == os.getpid(), os.getppid() != os.getpid(), isinstance(os.getuid(), int))
print(os.cpu_count() >= 1, len(os.urandom(16)), os.urandom(0), os.strerror(2))
try:
    os.urandom(-1)
except ValueError as e:
    print(type(e).__name__, e)
u = os.uname()
print(type(u).__name__, u.sysname, u[0] == u.sysname, len(u))
t = os.times()
print(type(t).__name__, len(t), t.user >= 0, t.elapsed == t[4])
print(os.sysconf("SC_PAGESIZE") > 0, os.sysconf_names["SC_OPEN_MAX"] == os.sysconf_names["SC_OPEN_MAX"])
try:
    os.sysconf("nope")
except ValueError as e:
    print(type(e).__name__, e)
old = os.umask(0o22)
print(os.umask(old) == 0o22)

# A forked child that ends by SystemExit: its status reaches the parent.
flush()
pid = os.fork()
if pid == 0:
    sys.exit(3)
print("sys.exit in child:", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
