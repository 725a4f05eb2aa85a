# Traced sizes, compared by relation (the exact figures are the
# implementation's): containers with their buffers, freeing, peaks.
import sys
import tracemalloc

tracemalloc.start()


def traced():
    return tracemalloc.get_traced_memory()[0]


# A list of 10**5 distinct ints: the ints and the list's buffer.
before = traced()
data = list(range(1000, 101000))
grown = traced() - before
print("list of 10**5 ints > 800000 bytes:", grown > 800000)
del data
print("freed again:", traced() - before < 10000)

# One big bytes object is one trace of at least its length.
before = traced()
blob = b"x" * (1 << 20)
print("bytes traced:", traced() - before >= 1 << 20)
tb = tracemalloc.get_object_traceback(blob)
print(tb[0].lineno, tb[0].filename == __file__)
size = [t for t in tracemalloc._get_traces() if t[2] == ((__file__, tb[0].lineno),)]
print("bytes trace size:", max(s for _, s, _, _ in size) >= (1 << 20))
print("getsizeof agrees:", max(s for _, s, _, _ in size) == sys.getsizeof(blob))

# Strings, tuples and dicts count their storage.
before = traced()
s = "y" * 50000
t = tuple(range(20000, 30000))
d = {i: None for i in range(50000, 60000)}
print("str:", tracemalloc.get_object_traceback(s) is not None)
print("grown > 50000 + 8 * 10000:", traced() - before > 50000 + 80000)

# The peak keeps the high-water mark until reset_peak().
tracemalloc.clear_traces()
current, peak = tracemalloc.get_traced_memory()
print("cleared:", current < 1000, peak < 1000)
tmp = bytearray(3 << 20)
del tmp
current, peak = tracemalloc.get_traced_memory()
print("peak >= 3 MiB:", peak >= 3 << 20, "current small:", current < 1 << 20)
tracemalloc.reset_peak()
current2, peak2 = tracemalloc.get_traced_memory()
print("reset:", peak2 < peak, peak2 >= current2)
tracemalloc.stop()
print(tracemalloc.get_traced_memory())
