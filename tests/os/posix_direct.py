# The posix module used directly (no os.py): stat results, directories,
# descriptors, fork/waitpid and _posixsubprocess.fork_exec.
import posix
import errno
import stat
import _posixsubprocess

base = "/tmp/taipan_posix_%d" % posix.getpid()
posix.mkdir(base, 0o755)
posix.chdir(base)
fd = posix.open("f", posix.O_WRONLY | posix.O_CREAT, 0o640)
posix.write(fd, b"0123456789")
posix.close(fd)
st = posix.stat("f")
print(st.st_size, oct(stat.S_IMODE(st.st_mode) & 0o777 & ~0o022), stat.S_ISREG(st.st_mode), len(st), st[6])
print(type(st).__name__, posix.stat_result.__module__, isinstance(st, tuple))
posix.mkdir("sub")
posix.symlink("f", "lnk")
print(sorted(posix.listdir()), sorted(posix.listdir(b".")), posix.readlink("lnk"))
it = posix.scandir(".")
for e in sorted(it, key=lambda e: e.name):
    print(e, e.name, e.path, e.is_dir(), e.is_file(), e.is_symlink(), e.is_file(follow_symlinks=False), e.stat().st_size == st.st_size or e.is_dir())
it.close()
try:
    posix.stat("missing")
except OSError as e:
    print(type(e).__name__, e.errno == errno.ENOENT, e)
try:
    posix.mkdir("sub")
except FileExistsError as e:
    print(type(e).__name__, e)
posix.rename("f", "g")
print(posix.access("g", posix.R_OK), posix.access("f", posix.F_OK))
for name in ("lnk", "g"):
    posix.unlink(name)
posix.rmdir("sub")
posix.chdir("/")
posix.rmdir(base)
print(posix.access(base, posix.F_OK))

r, w = posix.pipe()
pid = posix.fork()
if pid == 0:
    posix.close(r)
    posix.write(w, b"from child")
    posix._exit(5)
posix.close(w)
print(posix.read(r, 100))
posix.close(r)
pid2, status = posix.waitpid(pid, 0)
print(pid2 == pid, posix.WIFEXITED(status), posix.WEXITSTATUS(status), posix.waitstatus_to_exitcode(status))

out_r, out_w = posix.pipe()
err_r, err_w = posix.pipe()
pid = _posixsubprocess.fork_exec(
    [b"echo", b"hello", b"world"], [b"/bin/echo"], True, (err_w,), None, None,
    -1, -1, out_r, out_w, -1, -1, err_r, err_w,
    True, False, -1, None, None, None, -1, None, True)
posix.close(out_w)
posix.close(err_w)
print(posix.read(err_r, 100), posix.read(out_r, 100))
posix.close(err_r)
posix.close(out_r)
print(posix.waitstatus_to_exitcode(posix.waitpid(pid, 0)[1]))
print(posix.fspath("x"), errno.errorcode[errno.EPERM], posix.error is OSError, "HAVE_FSTATAT" in posix._have_functions)
print(posix.terminal_size((10, 20)), posix.uname_result.__module__)
