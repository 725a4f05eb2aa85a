# At exit non-daemon threads are joined; daemon threads still running
# (here: blocked forever, or spinning) do not keep the process alive.
import threading

forever = threading.Event()
started = threading.Event()


def blocked():
    started.set()
    forever.wait()


def spinning():
    while True:
        pass


d1 = threading.Thread(target=blocked, daemon=True)
d1.start()
started.wait()
d2 = threading.Thread(target=spinning, daemon=True)
d2.start()
print(d1.daemon, d2.daemon, d1.is_alive())

done = []
go = threading.Event()


def slow():
    go.wait()
    x = 0
    for i in range(100000):
        x += i
    done.append(x)
    print("non-daemon finished", x)


threading.Thread(target=slow).start()
print("main done")
go.set()
