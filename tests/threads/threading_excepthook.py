# Uncaught exceptions in threads go to threading.excepthook (printed on
# stderr), custom hooks receive ExceptHookArgs.
import threading


def fails():
    raise ValueError("bad value in thread")


t = threading.Thread(target=fails, name="Failing")
t.start()
t.join()
print("joined", t.is_alive())

seen = []
threading.excepthook = lambda args: seen.append((args.exc_type.__name__, str(args.exc_value), args.thread.name))
t = threading.Thread(target=fails, name="Hooked")
t.start()
t.join()
print(seen)
threading.excepthook = threading.__excepthook__


def exits():
    raise SystemExit(3)


t = threading.Thread(target=exits)
t.start()
t.join()
print("SystemExit is silent")
