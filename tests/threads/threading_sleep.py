# time.sleep releases the GIL: another thread runs while one sleeps.
import threading
import time

order = []
sleeping = threading.Event()


def sleeper():
    sleeping.set()
    time.sleep(0.5)
    order.append("sleeper woke")


def other():
    sleeping.wait()
    order.append("other ran")


a = threading.Thread(target=sleeper)
b = threading.Thread(target=other)
a.start()
b.start()
a.join()
b.join()
print(order)
