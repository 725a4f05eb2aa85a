# termios on a pseudo-terminal pair (os.openpty): attributes round trip,
# window size, flush/flow/drain, and the errors on descriptors that are
# not terminals.
import os
import termios
import tty


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e, e.args)


master, slave = os.openpty()
print(os.isatty(slave), os.get_inheritable(master), os.get_inheritable(slave))
print(os.ttyname(slave).startswith("/dev/pts/"))
attrs = termios.tcgetattr(slave)
print(len(attrs), len(attrs[6]) == termios.NCCS, [type(x).__name__ for x in attrs[:6]])
print(type(attrs[6][termios.VINTR]).__name__, attrs[6][termios.VINTR])

# Turn off echo and canonical mode: VMIN/VTIME become ints.
new = termios.tcgetattr(slave)
new[3] &= ~(termios.ECHO | termios.ICANON)
new[6][termios.VMIN] = 1
new[6][termios.VTIME] = 0
termios.tcsetattr(slave, termios.TCSANOW, new)
got = termios.tcgetattr(slave)
print(got[3] & termios.ECHO, got[3] & termios.ICANON, got[6][termios.VMIN], got[6][termios.VTIME])
print(type(got[6][termios.VMIN]).__name__, type(got[6][termios.VINTR]).__name__)
termios.tcsetattr(slave, termios.TCSADRAIN, attrs)
print(termios.tcgetattr(slave) == attrs)

# Speeds.
fast = termios.tcgetattr(slave)
fast[4] = fast[5] = termios.B9600
termios.tcsetattr(slave, termios.TCSANOW, fast)
print(termios.tcgetattr(slave)[4:6] == [termios.B9600, termios.B9600])

# Window size.
termios.tcsetwinsize(slave, (24, 80))
print(termios.tcgetwinsize(slave), termios.tcgetwinsize(master))
termios.tcsetwinsize(master, [50, 132])
print(termios.tcgetwinsize(slave), os.get_terminal_size(slave))
show(lambda: termios.tcsetwinsize(slave, (1,)))
show(lambda: termios.tcsetwinsize(slave, 5))
show(lambda: termios.tcsetwinsize(slave, (70000, 1)))
show(lambda: termios.tcsetwinsize(slave, (-1, 1)))

# Queues and flow control.
os.write(master, b"abc\n")
termios.tcflush(slave, termios.TCIFLUSH)
termios.tcflow(slave, termios.TCOOFF)
termios.tcflow(slave, termios.TCOON)
termios.tcdrain(slave)
print(termios.tcsendbreak(slave, 0))


class FD:
    def fileno(self):
        return slave


print(termios.tcgetattr(FD()) == termios.tcgetattr(slave))

# tty helpers.
tty.setraw(slave)
raw = termios.tcgetattr(slave)
print(raw[3] & termios.ICANON, raw[3] & termios.ECHO, raw[1] & termios.OPOST)
tty.setcbreak(slave)
print(termios.tcgetattr(slave)[3] & termios.ICANON)

# Errors.
r, w = os.pipe()
show(lambda: termios.tcgetattr(r))
show(lambda: termios.tcsetattr(r, termios.TCSANOW, attrs))
show(lambda: termios.tcgetwinsize(r))
show(lambda: termios.tcdrain(r))
show(lambda: termios.tcflush(r, termios.TCIFLUSH))
show(lambda: termios.tcgetattr(-1))
show(lambda: termios.tcgetattr("x"))
show(lambda: termios.tcsetattr(slave, termios.TCSANOW, 1))
show(lambda: termios.tcsetattr(slave, termios.TCSANOW, attrs[:6]))
bad = termios.tcgetattr(slave)
bad[6] = bad[6][:5]
show(lambda: termios.tcsetattr(slave, termios.TCSANOW, bad))
bad = termios.tcgetattr(slave)
bad[6][0] = "x"
show(lambda: termios.tcsetattr(slave, termios.TCSANOW, bad))
show(lambda: termios.tcsetattr(slave, 12345, attrs))
print(issubclass(termios.error, Exception), termios.error.__module__)
for fd in (r, w, master, slave):
    os.close(fd)
