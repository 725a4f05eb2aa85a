# _posixshmem: shm_open / shm_unlink (multiprocessing.shared_memory).
import mmap
import os
import _posixshmem

name = "/taipan-difftest-%d" % os.getpid()


def t(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, str(e).replace(name, "NAME"), getattr(e, "filename", None) == name)


print(_posixshmem.__doc__)
print(sorted(k for k in dir(_posixshmem) if not k.startswith("__")))
t("missing", lambda: _posixshmem.shm_open(name, os.O_RDONLY))
t("bytes", lambda: _posixshmem.shm_open(name.encode(), 0))
t("unlink missing", lambda: _posixshmem.shm_unlink(name))
t("args", lambda: _posixshmem.shm_open(name))
fd = _posixshmem.shm_open(path=name, flags=os.O_CREAT | os.O_RDWR | os.O_EXCL, mode=0o600)
print("inheritable", os.get_inheritable(fd), oct(os.fstat(fd).st_mode & 0o777))
t("exists", lambda: _posixshmem.shm_open(name, os.O_CREAT | os.O_RDWR | os.O_EXCL))
os.ftruncate(fd, 4096)
m = mmap.mmap(fd, 4096)
m[:5] = b"hello"
fd2 = _posixshmem.shm_open(name, os.O_RDONLY)
print("shared", os.read(fd2, 5))
m.close()
os.close(fd)
os.close(fd2)
_posixshmem.shm_unlink(path=name)
t("gone", lambda: _posixshmem.shm_open(name, os.O_RDONLY))

