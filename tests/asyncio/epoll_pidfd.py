# select.epoll (used by selectors.EpollSelector, asyncio's default selector
# on Linux) and os.pidfd_open (asyncio's PidfdChildWatcher).
import os
import select
import selectors


def t(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)


t("sizehint 0", lambda: select.epoll(0))
t("sizehint -2", lambda: select.epoll(-2))
t("bad flags", lambda: select.epoll(flags=5))
t("cloexec", lambda: select.epoll(sizehint=3, flags=select.EPOLL_CLOEXEC).closed)
t("too many", lambda: select.epoll(1, 2, 3))
t("bad kw", lambda: select.epoll(x=1))
e = select.epoll()
t("maxevents 0", lambda: e.poll(1, 0))
t("maxevents -2", lambda: e.poll(1, -2))
t("timeout str", lambda: e.poll("x"))
t("empty poll", lambda: e.poll(0.001, 1))
t("register -1", lambda: e.register(-1))
t("register float", lambda: e.register(1.5))
t("unregister unknown", lambda: e.unregister(99))
t("modify unknown", lambda: e.modify(99, 1))
r, w = os.pipe()
t("register w", lambda: e.register(w))
t("register w again", lambda: e.register(w))
t("poll writable", lambda: [(fd == w, ev) for fd, ev in e.poll(0)])
t("register r -1", lambda: e.register(r, -1))
t("register r 2**32", lambda: e.register(r, 2**32))
t("modify r", lambda: e.modify(r, select.EPOLLIN))
os.write(w, b"x")
t("poll both", lambda: sorted((fd == r, ev) for fd, ev in e.poll(timeout=0, maxevents=3)))
t("poll max 1", lambda: len(e.poll(0, 1)))
t("unregister r", lambda: e.unregister(r))
t("poll after", lambda: [(fd == w, ev) for fd, ev in e.poll(0)])
t("fileno int", lambda: isinstance(e.fileno(), int))
t("exit", lambda: e.__exit__(None, None, None))
t("closed", lambda: e.closed)
t("poll closed", lambda: e.poll())
t("fileno closed", lambda: e.fileno())
t("register closed", lambda: e.register(r))
t("close again", lambda: e.close())
t("enter closed", lambda: e.__enter__())
t("type", lambda: (type(e).__name__, type(e).__module__))
t("constants", lambda: [(k, getattr(select, k)) for k in sorted(dir(select)) if k.startswith("EPOLL")])
t("doc", lambda: select.epoll.__doc__.splitlines()[0])
t("subclass", lambda: type("S", (select.epoll,), {}))
with select.epoll() as ep:
    fd = ep.fileno()
    ep2 = select.epoll.fromfd(os.dup(fd))
    print("fromfd", type(ep2).__name__, ep2.closed, ep2.fileno() != fd)
    ep2.close()
print("with closed", ep.closed)

# EpollSelector round trip
sel = selectors.EpollSelector()
sel.register(r, selectors.EVENT_READ, "reader")
print("select", [(k.data, ev) for k, ev in sel.select(0)])
sel.unregister(r)
print("select none", sel.select(0))
sel.close()
os.close(r)
os.close(w)

# pidfd_open: a descriptor that becomes readable when the child exits
t("pidfd bad pid", lambda: os.pidfd_open(-5))
t("pidfd bad flags", lambda: os.pidfd_open(os.getpid(), "x"))
pid = os.fork()
if pid == 0:
    os._exit(7)
pfd = os.pidfd_open(pid=pid, flags=0)
p = select.epoll()
p.register(pfd, select.EPOLLIN)
print("pidfd ready", [(f == pfd, ev) for f, ev in p.poll(10)])
print("waitpid", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
p.close()
os.close(pfd)
