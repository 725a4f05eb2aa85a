import _signal as signal
import time

print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)
print(signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGPIPE), signal.getsignal(signal.SIGUSR1))
print(signal.SIG_DFL, signal.SIG_IGN, signal.NSIG, signal.SIGINT, signal.SIGUSR1, signal.SIGALRM, signal.SIGRTMIN, signal.SIGRTMAX)
print(signal.SIG_BLOCK, signal.SIG_UNBLOCK, signal.SIG_SETMASK, signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF)
print(signal.ItimerError, signal.ItimerError.__mro__[1].__name__)
print(len(signal.valid_signals()), 32 in signal.valid_signals(), signal.SIGKILL in signal.valid_signals())
print(signal.strsignal(signal.SIGINT), signal.strsignal(signal.SIGALRM))

got = []


def handler(signum, frame):
    got.append(signum)
    print("handler called with", signum)


old = signal.signal(signal.SIGUSR1, handler)
print("old", old, signal.getsignal(signal.SIGUSR1) is handler)
signal.raise_signal(signal.SIGUSR1)
print("after raise", got)

# The handler runs between bytecodes, in the main thread.
signal.signal(signal.SIGUSR2, lambda s, f: got.append(("usr2", s)))
signal.raise_signal(signal.SIGUSR2)
print(got)

# SIGINT raises KeyboardInterrupt by default.
try:
    signal.raise_signal(signal.SIGINT)
    print("not reached")
except KeyboardInterrupt as e:
    print("KeyboardInterrupt", repr(e))

try:
    signal.default_int_handler(2, None)
except KeyboardInterrupt:
    print("default_int_handler raises")


class Stop(Exception):
    pass


def raiser(signum, frame):
    raise Stop(signum)


signal.signal(signal.SIGALRM, raiser)
try:
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    time.sleep(5)
    print("sleep not interrupted")
except Stop as e:
    print("sleep interrupted by", type(e).__name__, e.args[0] == signal.SIGALRM)
print(signal.getitimer(signal.ITIMER_REAL))

# alarm
print(signal.alarm(0))
signal.signal(signal.SIGALRM, signal.SIG_IGN)
print(signal.getsignal(signal.SIGALRM))
signal.signal(signal.SIGALRM, signal.SIG_DFL)

# blocked signals stay pending until unblocked
signal.signal(signal.SIGUSR1, handler)
old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
print("old mask", sorted(old_mask))
signal.raise_signal(signal.SIGUSR1)
print("pending", sorted(signal.sigpending()), got[-1:])
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1])
print("after unblock", got[-1])

for args in [(signal.SIGKILL, signal.SIG_IGN), (99, signal.SIG_IGN), (0, signal.SIG_IGN), (signal.SIGUSR1, 5), (signal.SIGUSR1, "x")]:
    try:
        signal.signal(*args)
    except (OSError, ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    signal.pthread_sigmask(signal.SIG_BLOCK, [0])
except ValueError as e:
    print(type(e).__name__, e)
try:
    signal.setitimer(99, 1.0)
except signal.ItimerError as e:
    print(type(e).__name__, e)
try:
    signal.set_wakeup_fd(-5)
except OSError as e:
    print(type(e).__name__, e)
print(signal.set_wakeup_fd(-1))
signal.siginterrupt(signal.SIGUSR1, True)
signal.signal(signal.SIGUSR1, signal.SIG_DFL)
print("done")

# A busy loop: the pending flag is checked between instructions.
signal.signal(signal.SIGALRM, raiser)
signal.setitimer(signal.ITIMER_REAL, 0.02)
n = 0
try:
    while True:
        n += 1
except Stop:
    print("busy loop interrupted", n > 0)
signal.signal(signal.SIGALRM, signal.SIG_DFL)
