# _multiprocessing.SemLock (locks, semaphores) and fork-based pools,
# processes and queues (pipes read and written without the GIL).
import multiprocessing as mp
from multiprocessing.pool import Pool, ThreadPool
import _multiprocessing


def square(x):
    return x * x


def put(q, v):
    q.put(v)


if __name__ == "__main__":
    print(sorted(_multiprocessing.flags), _multiprocessing.SemLock.SEM_VALUE_MAX > 0)
    lock = mp.Lock()
    with lock:
        print("locked", lock.acquire(False))
    print(lock.acquire(timeout=0.01), lock.acquire(False))
    lock.release()
    r = mp.RLock()
    r.acquire()
    r.acquire()
    print(r._semlock._count(), r._semlock._is_mine())
    r.release()
    r.release()
    try:
        r.release()
    except AssertionError as e:
        print("AssertionError", e)
    s = mp.Semaphore(2)
    print(s.acquire(), s.acquire(), s.acquire(timeout=0.01), s.get_value())
    s.release()
    print(s.get_value())
    b = mp.BoundedSemaphore(1)
    try:
        b.release()
    except ValueError as e:
        print("ValueError", e)
    with ThreadPool(2) as p:
        print(sum(p.imap(square, range(100), 10)))
    with Pool(2) as p:
        print(sum(p.imap(square, range(100), 10)), p.map(square, [1, 2, 3]))
    q = mp.Queue()
    pr = mp.Process(target=put, args=(q, 42))
    pr.start()
    print(q.get())
    pr.join()
    print(pr.exitcode)
