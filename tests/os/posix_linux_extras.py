# Linux-specific os functions: getrandom, splice, copy_file_range,
# eventfd, memfd_create, pathconf, extended attributes; _posixshmem;
# _uuid; os.abort in a child; subprocess's preexec_fn.
import os
import subprocess
import sys
import tempfile


def show(f, *a, **k):
    try:
        r = f(*a, **k)
        print("ok", repr(r))
        return r
    except OSError as e:
        # File names here are temporary: show the error number only.
        print(type(e).__name__, e.errno, e.strerror, e.filename is not None)
    except Exception as e:
        print(type(e).__name__, e)


print(len(os.getrandom(16)), len(os.getrandom(3, os.GRND_NONBLOCK)))
show(os.getrandom, -1)
print(os.GRND_NONBLOCK, os.GRND_RANDOM, os.EFD_CLOEXEC, os.EFD_NONBLOCK, os.EFD_SEMAPHORE, os.MFD_CLOEXEC)

fd = os.eventfd(0)
os.eventfd_write(fd, 3)
os.eventfd_write(fd, 4)
print(os.eventfd_read(fd))
os.close(fd)
fd = os.eventfd(2, os.EFD_SEMAPHORE | os.EFD_NONBLOCK)
print(os.eventfd_read(fd), os.eventfd_read(fd))
show(os.eventfd_read, fd)
os.close(fd)

with tempfile.TemporaryDirectory() as d:
    src = os.path.join(d, "src")
    with open(src, "wb") as f:
        f.write(b"0123456789")
    a = os.open(src, os.O_RDONLY)
    b = os.open(os.path.join(d, "dst"), os.O_RDWR | os.O_CREAT)
    print(os.copy_file_range(a, b, 4, 2), os.copy_file_range(a, b, 100, offset_dst=10, offset_src=0))
    print(os.pread(b, 100, 0))
    r, w = os.pipe()
    print(os.splice(a, w, 5, offset_src=5))
    print(os.read(r, 10))
    show(os.splice, a, w, -1)
    show(os.copy_file_range, 999, 998, 5)
    print(os.fpathconf(a, "PC_NAME_MAX"), os.pathconf(d, "PC_NAME_MAX"), os.fpathconf(a, os.pathconf_names["PC_LINK_MAX"]) > 0)
    show(os.pathconf, d, "NOPE")
    for x in (a, b, r, w):
        os.close(x)

    m = os.memfd_create("taipan-test")
    os.write(m, b"memfd!")
    print(os.pread(m, 10, 0))
    os.close(m)

    # Extended attributes (user namespace).
    try:
        os.setxattr(src, "user.test", b"value")
        xattr_ok = True
    except OSError:
        xattr_ok = False
    if xattr_ok:
        print(os.getxattr(src, "user.test"), os.getxattr(src.encode(), b"user.test"))
        os.setxattr(src, "user.second", b"2", os.XATTR_CREATE)
        show(os.setxattr, src, "user.second", b"3", os.XATTR_CREATE)
        print(sorted(os.listxattr(src)))
        os.removexattr(src, "user.second")
        print(sorted(os.listxattr(src)))
        show(os.getxattr, src, "user.missing")
        fd = os.open(src, os.O_RDONLY)
        print(os.getxattr(fd, "user.test"), os.listxattr(fd))
        show(os.getxattr, fd, "user.test", follow_symlinks=False)
        os.close(fd)
    else:
        print("no xattr support")
    show(os.setxattr, src, 5, b"x")
    show(os.setxattr, src, "user.x", "str")
    show(os.getxattr, "/nonexistent-taipan", "user.x")
    print(os.XATTR_CREATE, os.XATTR_REPLACE, os.XATTR_SIZE_MAX)

import _posixshmem
name = "/taipan_shm_%d" % os.getpid()
fd = _posixshmem.shm_open(name, os.O_CREAT | os.O_RDWR, 0o600)
os.ftruncate(fd, 16)
print(os.fstat(fd).st_size)
os.close(fd)
_posixshmem.shm_unlink(name)
show(_posixshmem.shm_unlink, name)
show(_posixshmem.shm_open, b"x", 0)

from multiprocessing import shared_memory
shm = shared_memory.SharedMemory(create=True, size=8)
shm.buf[:3] = b"abc"
other = shared_memory.SharedMemory(shm.name)
print(bytes(other.buf[:3]))
other.close()
shm.close()
shm.unlink()

import _uuid
import uuid
b, safe = _uuid.generate_time_safe()
print(type(b).__name__, len(b), safe in (0, -1), _uuid.has_uuid_generate_time_safe)
u1, u2 = uuid.uuid1(), uuid.uuid1()
print(u1.version, u1.variant == uuid.RFC_4122, u1 != u2, u1.is_safe in (uuid.SafeUUID.safe, uuid.SafeUUID.unsafe))

p = subprocess.run([sys.executable, "-c", "import os; os.abort()"], capture_output=True)
print("abort", p.returncode)
p = subprocess.run([sys.executable, "-c", "import os; print(os.environ['FROM_PREEXEC'])"],
                   preexec_fn=lambda: os.environ.__setitem__("FROM_PREEXEC", "yes"), capture_output=True, text=True)
print(p.stdout.strip(), p.returncode)
try:
    subprocess.run([sys.executable, "-c", "pass"], preexec_fn=lambda: 1 / 0)
except subprocess.SubprocessError as e:
    print(type(e).__name__, e)
