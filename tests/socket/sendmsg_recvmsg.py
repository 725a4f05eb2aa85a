# sendmsg/recvmsg/recvmsg_into over a Unix socket pair, with file
# descriptors passed as SCM_RIGHTS ancillary data, and os.sendfile.
import array
import os
import socket
import tempfile


def attempt(f, *args):
    try:
        return f(*args)
    except Exception as e:
        print(type(e).__name__, e)


a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
b.settimeout(5)
print(a.sendmsg([b"hello, ", b"world"]))
print(b.recvmsg(100))

r, w = os.pipe()
fds = array.array("i", [r, w])
print(a.sendmsg([b"fds"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)]))
data, anc, flags, addr = b.recvmsg(10, socket.CMSG_SPACE(2 * fds.itemsize))
print(data, flags, addr, len(anc))
level, kind, payload = anc[0]
print(level == socket.SOL_SOCKET, kind == socket.SCM_RIGHTS, len(payload))
got = array.array("i")
got.frombytes(payload)
os.write(got[1], b"through the passed pipe")
print(os.read(r, 100))
for fd in list(got) + [r, w]:
    os.close(fd)

# Truncated ancillary data keeps what fits and sets MSG_CTRUNC.
r, w = os.pipe()
a.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r, w]))])
data, anc, flags, addr = b.recvmsg(10, socket.CMSG_LEN(4))
print(data, bool(flags & socket.MSG_CTRUNC), [len(p) for _, _, p in anc])
for _, _, p in anc:
    for fd in array.array("i", p):
        os.close(fd)
os.close(r)
os.close(w)

a.sendmsg([b"abcdefgh"])
first, second = bytearray(3), bytearray(10)
print(b.recvmsg_into([first, memoryview(second)]))
print(first, second)

attempt(a.sendmsg, 5)
attempt(a.sendmsg, [5])
attempt(a.sendmsg, [b"x"], 5)
attempt(a.sendmsg, [b"x"], [5])
attempt(a.sendmsg, [b"x"], [(1, 2)])
attempt(a.sendmsg, [b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, "x")])
attempt(b.recvmsg, -1)
attempt(b.recvmsg, 10, -1)
attempt(b.recvmsg_into, 5)
attempt(b.recvmsg_into, [b"read-only"])
attempt(b.recvmsg)
print(socket.CMSG_LEN(0), socket.CMSG_LEN(4), socket.CMSG_SPACE(4))
a.close()
b.close()

with tempfile.TemporaryFile() as src:
    src.write(b"0123456789")
    src.flush()
    r, w = os.pipe()
    print(os.sendfile(w, src.fileno(), 2, 5))
    print(os.read(r, 100))
    os.lseek(src.fileno(), 7, 0)
    print(os.sendfile(w, src.fileno(), None, 100))
    print(os.read(r, 100))
    attempt(os.sendfile, w, src.fileno())
    os.close(r)
    os.close(w)
