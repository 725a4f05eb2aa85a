# errno names and errorcode, _stat against stat.py's definitions, fcntl
# flags and locks, os.stat_result / os.terminal_size as struct sequences.
import errno
import _stat
import stat
import fcntl
import os

print(errno.ENOENT, errno.EEXIST, errno.EAGAIN, errno.EWOULDBLOCK, errno.EDEADLOCK, errno.ENOTSUP, errno.EOPNOTSUPP)
print(errno.errorcode[errno.ENOENT], errno.errorcode[11], errno.errorcode[35], errno.errorcode[95], len(errno.errorcode))
names = [k for k in dir(errno) if k.startswith("E")]
print(len(names), all(errno.errorcode[getattr(errno, n)] in names for n in names))
print(list(errno.errorcode.items())[:5])
e = OSError(errno.EACCES, os.strerror(errno.EACCES), "f")
print(type(e).__name__, e)

for name in ["S_IFMT", "S_IMODE", "S_ISDIR", "S_ISREG", "S_ISLNK", "filemode"]:
    print(name, getattr(stat, name) is getattr(_stat, name))
for mode in [0o040755, 0o100644, 0o120777, 0o020666, 0o060660, 0o010600, 0o140755, 0o104755, 0o102755, 0o101777, 0o001000, 0]:
    print(oct(mode), _stat.filemode(mode), _stat.S_IFMT(mode), _stat.S_IMODE(mode),
          [n for n in ("S_ISDIR", "S_ISREG", "S_ISLNK", "S_ISCHR", "S_ISBLK", "S_ISFIFO", "S_ISSOCK", "S_ISDOOR",
                       "S_ISPORT", "S_ISWHT") if getattr(_stat, n)(mode)])
print(_stat.S_IFDIR, _stat.S_IRWXU, _stat.UF_HIDDEN, _stat.SF_SNAPSHOT, _stat.ST_MTIME, _stat.S_IFDOOR)
for bad in (-1, 2**40, "x"):
    try:
        _stat.S_ISDIR(bad)
    except (OverflowError, TypeError) as e:
        print(type(e).__name__, e)

r, w = os.pipe()
print(fcntl.fcntl(r, fcntl.F_GETFD) & fcntl.FD_CLOEXEC, fcntl.fcntl(r, fcntl.F_GETFL) & os.O_NONBLOCK)
fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)
print(os.get_blocking(r), fcntl.F_GETFD, fcntl.LOCK_EX, fcntl.LOCK_NB)
os.close(r); os.close(w)
path = "/tmp/taipan_fcntl_%d" % os.getpid()
fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
fcntl.flock(fd, fcntl.LOCK_UN)
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
fcntl.lockf(fd, fcntl.LOCK_UN)
class F:
    def fileno(self):
        return fd
fcntl.flock(F(), fcntl.LOCK_SH)
print("locks ok")
try:
    fcntl.flock(99999, fcntl.LOCK_SH)
except OSError as e:
    print(type(e).__name__, e)
try:
    fcntl.fcntl(fd, fcntl.F_GETFD, b"x" * 2000)
except ValueError as e:
    print(type(e).__name__, e)
try:
    fcntl.flock("x", fcntl.LOCK_SH)
except TypeError as e:
    print(type(e).__name__, e)
os.close(fd)
os.unlink(path)

st = os.stat_result(range(10))
print(st, st.st_atime, st[7], st.st_atime_ns, len(st), st[-1], st[2:4])
st2 = os.stat_result(range(10), {"st_atime": 1.5, "st_blksize": 7})
print(st2.st_atime, st2.st_mtime, st2.st_blksize, st2 == st, hash(st2) == hash(st))
print(os.stat_result.n_fields, os.stat_result.n_sequence_fields, os.stat_result.n_unnamed_fields, os.stat_result.__match_args__)
print(type(os.stat_result.st_mode).__name__, os.stat_result.__mro__, os.stat_result.__module__, os.stat_result.__name__)
for args in ((1, 2), range(20), 5):
    try:
        os.stat_result(args)
    except TypeError as e:
        print(type(e).__name__, e)
try:
    st.st_mode = 5
except AttributeError as e:
    print(type(e).__name__, e)
ts = os.terminal_size((80, 24))
print(ts, ts.columns, ts.lines, ts == (80, 24), tuple(ts), ts.__reduce__())
try:
    os.terminal_size((1, 2, 3))
except TypeError as e:
    print(type(e).__name__, e)
match ts:
    case os.terminal_size(c, l):
        print("matched", c, l)
print(os.stat("/").__reduce__()[0] is os.stat_result)
