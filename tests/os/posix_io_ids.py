# Positional and vector I/O, fallocate/fadvise, ids, groups, priority,
# device numbers, waitid, scheduler queries, bytes-like paths.
import os
import tempfile
import warnings


def show(f, *a, **k):
    try:
        r = f(*a, **k)
        print("ok", repr(r))
        return r
    except Exception as e:
        print(type(e).__name__, e)


with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "f")
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    print(os.pwrite(fd, b"hello world", 0), os.pwrite(fd, bytearray(b"HELLO"), 6))
    print(os.pread(fd, 5, 6), os.pread(fd, 100, 0), os.pread(fd, 3, 100))
    print(os.writev(fd, [b"ab", bytearray(b"cd"), memoryview(b"ef")]))
    bufs = [bytearray(3), bytearray(4)]
    print(os.preadv(fd, bufs, 0), bufs)
    print(os.pwritev(fd, [b"XY", b"Z"], 1))
    os.lseek(fd, 0, os.SEEK_SET)
    bufs = [bytearray(2), bytearray(20)]
    print(os.readv(fd, bufs), bufs)
    show(os.readv, fd, 5)
    show(os.writev, fd, 5)
    show(os.writev, fd, [5])
    show(os.readv, fd, [b"x"])
    show(os.pread, fd, -1, 0)
    os.posix_fallocate(fd, 0, 100)
    print(os.fstat(fd).st_size)
    os.posix_fadvise(fd, 0, 100, os.POSIX_FADV_SEQUENTIAL)
    os.close(fd)
    show(os.posix_fallocate, fd, 0, 10)
    show(os.pwrite, fd, "x", 0)

    # bytes-like paths: accepted with a DeprecationWarning, results bytes.
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        names = os.listdir(bytearray(d.encode()))
        print(names, [str(x.message) for x in w])
        print(os.stat(memoryview(path.encode())).st_size)
        print([x.category.__name__ for x in w])

r = os.getresuid()
print(len(r), r[0] == os.getuid(), os.getresgid()[1] == os.getegid())
os.setresuid(-1, -1, -1)
os.setreuid(-1, -1)
os.setregid(-1, -1)
show(os.setuid, "x")
show(os.setuid, -2)
show(os.setgroups, 5)
show(os.setgroups, ["a"])
print(type(os.getgrouplist("root", 0)).__name__)
show(os.initgroups, 5, 0)
print(os.major(2049), os.minor(2049), os.makedev(8, 1), os.makedev(os.major(0x12345678), os.minor(0x12345678)) == 0x12345678)
show(os.major, -1)
show(os.waitid, os.P_ALL, 0, os.WEXITED | os.WNOHANG)
print(os.getpriority(os.PRIO_PROCESS, 0) == os.nice(0))
pid = os.fork()
if pid == 0:
    os._exit(3)
res = os.waitid(os.P_PID, pid, os.WEXITED)
print(type(res).__name__, res.si_pid == pid, res.si_status, res.si_code == os.CLD_EXITED)
print(os.sched_get_priority_min(os.SCHED_OTHER), os.sched_get_priority_max(os.SCHED_OTHER))
print(os.sched_getscheduler(0) == os.SCHED_OTHER, os.sched_getparam(0))
print(os.sched_param(5), os.sched_param(sched_priority=3).sched_priority)
show(os.sched_param)
print(os.sched_getaffinity(0) == os.sched_getaffinity(os.getpid()))
os.sched_yield()
print(os.waitid_result.__name__, os.waitid_result._fields if hasattr(os.waitid_result, "_fields") else os.waitid_result.n_fields)
