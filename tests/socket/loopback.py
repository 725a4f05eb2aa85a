# Loopback TCP and UDP echo servers in threads, socketpair, makefile,
# fileno-based construction, dup/detach, shutdown.
import socket
import threading

# socketpair
a, b = socket.socketpair()
print(a.family, a.type, a.proto, b.getblocking(), b.gettimeout())
a.sendall(b"hello")
print(b.recv(10))
buf = bytearray(8)
a.send(b"xyz")
print(b.recv_into(buf), buf)
mv = memoryview(bytearray(4))
a.send(b"12345")
print(b.recv_into(mv, 2), bytes(mv))
print(b.recv(10))
a.shutdown(socket.SHUT_WR)
print(b.recv(10))
a.close()
b.close()
print(a.fileno(), repr(a)[:24])

# TCP echo
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
print(srv.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0)
srv.bind(("127.0.0.1", 0))
srv.listen()
host, port = srv.getsockname()
print(host, port > 0)


def serve():
    c, addr = srv.accept()
    with c:
        while True:
            d = c.recv(1024)
            if not d:
                break
            c.sendall(d.upper())


t = threading.Thread(target=serve)
t.start()
c = socket.create_connection(("127.0.0.1", port))
print(c.getpeername() == ("127.0.0.1", port))
for msg in [b"abc", b"hello world", b"x" * 100]:
    c.sendall(msg)
    got = b""
    while len(got) < len(msg):
        got += c.recv(1000)
    print(got[:20], len(got))
f = c.makefile("rwb")
f.write(b"line one\n")
f.flush()
print(f.readline())
f.close()
c.close()
t.join()
srv.close()

# connect_ex to a closed port
s = socket.socket()
s.bind(("127.0.0.1", 0))
closed_port = s.getsockname()[1]
s.close()
s = socket.socket()
print(s.connect_ex(("127.0.0.1", closed_port)) == socket.errno.ECONNREFUSED if hasattr(socket, "errno") else "skip")
try:
    s.connect(("127.0.0.1", closed_port))
except ConnectionRefusedError as e:
    print(type(e).__name__, e.errno, e)
s.close()

# UDP echo
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
uaddr = u.getsockname()


def udp_echo():
    for _ in range(2):
        d, addr = u.recvfrom(100)
        u.sendto(d[::-1], addr)


t = threading.Thread(target=udp_echo)
t.start()
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.sendto(b"dgram", uaddr)
d, addr = v.recvfrom(100)
print(d, addr == uaddr)
v.sendto(b"second", 0, uaddr)
buf = bytearray(10)
n, addr = v.recvfrom_into(buf)
print(n, bytes(buf[:n]))
t.join()
u.close()
v.close()

# fileno-based construction, dup, detach
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s2 = socket.socket(fileno=s.fileno())
print(s2.family, s2.type, s2.proto)
s2.detach()
d = s.dup()
print(d.family, d.type, d.fileno() != s.fileno())
d.close()
fd = s.detach()
print(s.fileno())
s3 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 0, fd)
print(s3.fileno() == fd)
s3.close()

# IPv6 loopback
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.bind(("::1", 0))
name = s6.getsockname()
print(name[0], len(name))
s6.sendto(b"six", name)
print(s6.recvfrom(10)[0])
s6.close()

# AF_UNIX datagram pair with abstract and path-less names
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
a.send(b"u1")
print(b.recvfrom(10))
print(repr(a.getsockname()))
a.close()
b.close()
