# Files and directories through os: stat, listdir, scandir, walk, makedirs,
# rename, links, modes, times, errors (relative names: deterministic).
import os
import stat

base = "/tmp/taipan_os_files_%d" % os.getpid()
os.mkdir(base)
os.chdir(base)
try:
    fd = os.open("a.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    print("written", os.write(fd, b"hello world"))
    os.close(fd)
    st = os.stat("a.txt")
    print(type(st).__name__, len(st), st.st_size, stat.S_ISREG(st.st_mode), stat.S_ISDIR(st.st_mode))
    print(st[6] == st.st_size, st[0] == st.st_mode, isinstance(st.st_mtime, float), isinstance(st.st_mtime_ns, int))
    print(st.st_mtime_ns // 10**9 == st[8] == int(st.st_mtime))
    print(st == os.lstat("a.txt"), os.fstat(os.open("a.txt", os.O_RDONLY)).st_size)
    os.chmod("a.txt", 0o600)
    print(oct(stat.S_IMODE(os.stat("a.txt").st_mode)), stat.filemode(os.stat("a.txt").st_mode))
    os.utime("a.txt", ns=(1_000_000_123, 2_000_000_456))
    st = os.stat("a.txt")
    print(st.st_atime_ns, st.st_mtime_ns, st.st_mtime)
    os.utime("a.txt", (5, 6.5))
    print(os.stat("a.txt").st_atime, os.stat("a.txt").st_mtime)
    print(os.access("a.txt", os.R_OK), os.access("nope", os.F_OK), os.path.exists("a.txt"))
    os.truncate("a.txt", 5)
    print(os.path.getsize("a.txt"))

    os.makedirs("d1/d2/d3")
    os.makedirs("d1/d2", exist_ok=True)
    try:
        os.makedirs("d1/d2")
    except FileExistsError as e:
        print(type(e).__name__, e.errno, e.filename)
    for name in ["d1/f1", "d1/d2/f2", "d1/d2/d3/f3"]:
        os.close(os.open(name, os.O_CREAT | os.O_WRONLY))
    print(sorted(os.listdir(".")), sorted(os.listdir(b".")))
    print(sorted(os.listdir("d1")))
    with os.scandir("d1") as it:
        entries = sorted(it, key=lambda e: e.name)
    for e in entries:
        print(repr(e), e.name, e.path, e.is_dir(), e.is_file(), e.is_symlink(), os.fspath(e), e.inode() == e.stat().st_ino)
    print([e.path for e in os.scandir(b"d1") if e.is_file()])
    for top, dirs, files in os.walk("d1"):
        dirs.sort()
        print(top, dirs, sorted(files))
    for top, dirs, files in os.walk("d1", topdown=False):
        print("up", top, sorted(dirs), sorted(files))

    os.symlink("a.txt", "link")
    print(os.readlink("link"), os.readlink(b"link"), os.path.islink("link"), stat.S_ISLNK(os.lstat("link").st_mode))
    print(os.stat("link").st_size, os.stat("link", follow_symlinks=False).st_size == os.lstat("link").st_size)
    os.link("a.txt", "hard")
    print(os.stat("a.txt").st_nlink, os.path.samefile("a.txt", "hard"))
    os.rename("hard", "hard2")
    os.replace("hard2", "a2.txt")
    print(sorted(n for n in os.listdir(".") if not n.startswith("d")))
    try:
        os.rename("missing", "other")
    except OSError as e:
        print(type(e).__name__, e, e.filename, e.filename2)
    for bad in ("missing", b"missing"):
        try:
            os.stat(bad)
        except FileNotFoundError as e:
            print(type(e).__name__, e, repr(e.filename), e.errno, e.strerror)
    try:
        os.rmdir("d1")
    except OSError as e:
        print(type(e).__name__, e)
    try:
        os.listdir("a.txt")
    except NotADirectoryError as e:
        print(type(e).__name__, e)
    try:
        os.mkdir("a.txt")
    except FileExistsError as e:
        print(type(e).__name__, e)
    for bad in (1.5, None, ["x"]):
        try:
            os.stat(bad)
        except TypeError as e:
            print(type(e).__name__, e)
    for bad in ("a\0b", b"a\0b"):
        try:
            os.stat(bad)
        except ValueError as e:
            print(type(e).__name__, e)

    dfd = os.open("d1", os.O_RDONLY)
    print(os.stat("f1", dir_fd=dfd).st_size, sorted(os.listdir(dfd)))
    print(sorted(e.name for e in os.scandir(dfd)))
    os.close(dfd)

    os.remove("link")
    os.unlink("a2.txt")
    os.remove("d1/d2/d3/f3")
    os.removedirs("d1/d2/d3")
    print(sorted(os.listdir(".")), sorted(os.listdir("d1")))
    print(os.getcwd() == base, os.getcwdb() == base.encode())
finally:
    os.chdir("/")
    for top, dirs, files in os.walk(base, topdown=False):
        for f in files:
            os.unlink(os.path.join(top, f))
        for d in dirs:
            p = os.path.join(top, d)
            if os.path.islink(p):
                os.unlink(p)
            else:
                os.rmdir(p)
    os.rmdir(base)
print(os.path.exists(base))
