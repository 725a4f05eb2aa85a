# pty.fork / os.forkpty / pty.openpty: a child on a new terminal writes,
# the parent reads it from the master side.
import os
import pty
import sys

pid, fd = pty.fork()
if pid == 0:
    print("child tty:", os.isatty(0), os.isatty(1), os.ttyname(1) == os.ttyname(0))
    print("session leader:", os.getsid(0) == os.getpid())
    sys.stdout.flush()
    os._exit(3)
out = b""
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
print(out.replace(b"\r\n", b"\n").decode())
print("exit", os.waitstatus_to_exitcode(status))
os.close(fd)

master, slave = pty.openpty()
os.write(slave, b"ping\n")
print(os.read(master, 100))
os.close(slave)
os.close(master)

m, s = os.openpty()
pid = os.fork()
if pid == 0:
    os.close(m)
    os.login_tty(s)
    os.write(1, b"login_tty ok %d\n" % os.isatty(0))
    os._exit(0)
os.close(s)
data = b""
while True:
    try:
        chunk = os.read(m, 100)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
os.waitpid(pid, 0)
print(data)
os.close(m)
print(type(os.ctermid()).__name__)
