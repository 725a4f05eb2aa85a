# shutil, tempfile and glob working on top of posix.
import glob
import os
import shutil
import tempfile

with tempfile.TemporaryDirectory(prefix="taipan_") as d:
    print(os.path.isdir(d), os.path.basename(d).startswith("taipan_"))
    os.makedirs(os.path.join(d, "src", "sub"))
    for name in ("a.txt", "b.py", "sub/c.txt"):
        with open(os.path.join(d, "src", name), "w") as f:
            f.write("data " + name)
    shutil.copytree(os.path.join(d, "src"), os.path.join(d, "dst"))
    print(sorted(os.path.relpath(p, d) for p in glob.glob(os.path.join(d, "dst", "**", "*.txt"), recursive=True)))
    print(sorted(os.path.basename(p) for p in glob.glob(os.path.join(d, "src", "*.py"))))
    shutil.copy(os.path.join(d, "src", "a.txt"), os.path.join(d, "copy.txt"))
    shutil.copy2(os.path.join(d, "src", "a.txt"), os.path.join(d, "copy2.txt"))
    with open(os.path.join(d, "copy.txt")) as f:
        print(f.read())
    print(os.stat(os.path.join(d, "copy2.txt")).st_mtime_ns == os.stat(os.path.join(d, "src", "a.txt")).st_mtime_ns)
    shutil.move(os.path.join(d, "copy.txt"), os.path.join(d, "moved.txt"))
    print(sorted(os.listdir(d)))
    shutil.rmtree(os.path.join(d, "dst"))
    print(sorted(os.listdir(d)), shutil.disk_usage(d).total > 0, shutil.which("sh") is not None)
    fd, path = tempfile.mkstemp(dir=d, suffix=".tmp")
    os.write(fd, b"xyz")
    os.close(fd)
    print(os.path.getsize(path), path.endswith(".tmp"))
    with tempfile.NamedTemporaryFile(dir=d) as f:
        f.write(b"abc")
        f.flush()
        print(os.path.getsize(f.name))
print(os.path.exists(d))
