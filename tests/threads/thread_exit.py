# Threads still running at exit (blocked on a lock, or spinning) die with
# the process; the exit status is the main thread's.
import _thread

never = _thread.allocate_lock()
never.acquire()
started = _thread.allocate_lock()
started.acquire()


def blocked():
    started.release()
    never.acquire()
    print("never printed")


def spinning():
    while True:
        pass


_thread.start_new_thread(blocked, ())
started.acquire()
_thread.start_new_thread(spinning, ())
print("main exits")
