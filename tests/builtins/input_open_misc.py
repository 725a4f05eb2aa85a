import os, sys, tempfile
with tempfile.TemporaryDirectory() as d:
    p = os.path.join(d, "f.txt")
    with open(p, "w") as f:
        print(f.write("line1\nline2\n"), f.closed)
    print(f.closed)
    with open(p) as f:
        print(f.readline(), end="")
        print(list(f))
    with open(p, "rb") as f:
        print(f.read())
    with open(p, "a") as f:
        print("appended", file=f)
    with open(p) as f:
        print(f.read().splitlines())
    try:
        open(os.path.join(d, "missing.txt"))
    except FileNotFoundError as e:
        print(type(e).__name__, e.errno, e.strerror)
print(type(sys.stdout).__name__, sys.stdout.encoding)
