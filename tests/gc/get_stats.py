# gc.get_stats(): per-generation counters.
import gc

stats = gc.get_stats()
print(len(stats), [sorted(s) for s in stats])
gc.disable()
old = gc.get_stats()
gc.collect(0)
new = gc.get_stats()
print(new[0]["collections"] - old[0]["collections"], new[1]["collections"] - old[1]["collections"], new[2]["collections"] - old[2]["collections"])
gc.collect(2)
new2 = gc.get_stats()
print(new2[2]["collections"] - new[2]["collections"], new2[0]["collections"] - new[0]["collections"])


class A:
    pass


gc.collect()
before = gc.get_stats()[-1]["collected"]
for i in range(10):
    a = A()
    a.me = a
del a
n = gc.collect()
after = gc.get_stats()[-1]["collected"]
print(n, after - before, gc.get_stats()[-1]["uncollectable"])
try:
    gc.get_stats(1)
except TypeError as e:
    print(type(e).__name__, e)
gc.enable()
