# Module-level helpers, constants, address conversion and error messages
# of socket/_socket; timeouts.
import socket
import _socket
import errno

print(int(socket.AF_INET), int(socket.AF_INET6), int(socket.AF_UNIX), int(socket.SOCK_STREAM), int(socket.SOCK_DGRAM))
print(socket.SOL_SOCKET, socket.SO_REUSEADDR, socket.IPPROTO_TCP, socket.TCP_NODELAY, socket.SOMAXCONN)
print(socket.SHUT_RD, socket.SHUT_WR, socket.SHUT_RDWR, int(socket.MSG_PEEK), int(socket.AI_PASSIVE), socket.NI_NUMERICHOST)
print(socket.has_ipv6, socket.error is OSError, socket.timeout is TimeoutError)
print(socket.herror.__mro__[1:3], socket.gaierror.__module__, socket.herror.__name__)
print(_socket.socket.__name__, _socket.socket.__module__, socket.SocketType is _socket.socket)

print(socket.htons(1), socket.ntohs(256), socket.htonl(1), socket.ntohl(16777216))
print(socket.inet_aton("127.0.0.1"), socket.inet_aton("1.2"), socket.inet_ntoa(b"\x7f\x00\x00\x01"))
print(socket.inet_pton(socket.AF_INET, "10.0.0.255"), socket.inet_ntop(socket.AF_INET, b"\x0a\x00\x00\xff"))
print(socket.inet_pton(socket.AF_INET6, "::1"))
print(socket.inet_ntop(socket.AF_INET6, b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x01"))
print(socket.inet_ntop(socket.AF_INET6, b"\x00" * 10 + b"\xff\xff\x01\x02\x03\x04"))


def show(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("ok", r)


s = socket.socket()
for a in ["x", ("h",), ("127.0.0.1", 70000), ("127.0.0.1", "80"), (1, 2), ("127.0.0.1", -1), ("127.0.0.1", 80, 1)]:
    show(lambda: s.bind(a))
u = socket.socket(socket.AF_UNIX)
for a in [1, "x" * 200, ("a",)]:
    show(lambda: u.bind(a))
u.close()
s6 = socket.socket(socket.AF_INET6)
for a in ["x", ("::1",), ("::1", 1, 2, 3, 4), ("::1", 1, -1)]:
    show(lambda: s6.bind(a))
s6.close()
show(lambda: s.settimeout(-1))
show(lambda: s.settimeout("x"))
show(lambda: s.recv(-1))
show(lambda: s.send("x"))
show(lambda: s.getsockopt(1, 2, 3000))
show(lambda: socket.socket(fileno=-3))
show(lambda: socket.socket(fileno=1.5))
show(lambda: socket.inet_aton("x"))
show(lambda: socket.inet_pton(socket.AF_INET, "1.2.3"))
show(lambda: socket.inet_ntop(socket.AF_INET, b"12"))
show(lambda: socket.inet_ntoa(b"123"))
show(lambda: socket.htons(-1))
show(lambda: socket.htons(70000))
show(lambda: socket.htonl(-1))
show(lambda: socket.getnameinfo(("127.0.0.1",), 0))
show(lambda: socket.getnameinfo(("127.0.0.1", 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV))
show(lambda: socket.if_nametoindex("nope0"))
show(lambda: socket.socket(99))
show(lambda: s.listen("x"))
show(lambda: s.shutdown(5))
show(lambda: socket.getaddrinfo("localhost", 1.5))
show(lambda: socket.setdefaulttimeout(-2))
show(lambda: socket.getservbyname("nope-service"))
show(lambda: socket.getservbyport(70000))
show(lambda: socket.getprotobyname("tcp"))
s.close()
show(lambda: s.fileno())
show(lambda: s.send(b"x"))
print(repr(s))

# getaddrinfo on numeric addresses and localhost (deterministic parts only)
for r in socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM):
    print(r)
for r in socket.getaddrinfo("::1", "http", socket.AF_INET6, socket.SOCK_STREAM):
    print(r)
print(socket.getaddrinfo(None, 0, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_PASSIVE))
print(sorted({r[4][0] for r in socket.getaddrinfo("localhost", 0, socket.AF_INET)}))
print(socket.getaddrinfo(b"127.0.0.1", b"7", socket.AF_INET, socket.SOCK_DGRAM, proto=socket.IPPROTO_UDP))
print(socket.gethostbyname("127.0.0.1"), socket.gethostbyname("localhost"))
print(type(socket.gethostname()).__name__, socket.getservbyname("http", "tcp"), socket.getservbyport(80))
print(type(socket.if_nameindex()).__name__, socket.if_nameindex()[0][1] == socket.if_indextoname(socket.if_nameindex()[0][0]))

# default timeout
print(socket.getdefaulttimeout())
socket.setdefaulttimeout(2.5)
t = socket.socket()
print(socket.getdefaulttimeout(), t.gettimeout(), t.getblocking(), t.timeout)
socket.setdefaulttimeout(None)
t.setblocking(False)
print(t.gettimeout(), t.getblocking())
t.settimeout(3)
print(t.gettimeout(), t.getblocking())
t.settimeout(None)
print(t.gettimeout(), t.getblocking())
t.close()

# timeouts: recv on an idle socket pair, accept without clients
a, b = socket.socketpair()
a.settimeout(0.01)
show(lambda: a.recv(1))
a.setblocking(False)
try:
    a.recv(1)
except BlockingIOError as e:
    print(type(e).__name__, e.errno == errno.EAGAIN)
b.close()
print(a.recv(1))
a.close()
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen()
srv.settimeout(0.01)
show(lambda: srv.accept())
srv.close()

# context manager, __repr__ of a closed socket
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as z:
    print(z.type, z.family)
print(z._closed, z.fileno())
