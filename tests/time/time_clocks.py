import time

for name in ["time", "monotonic", "perf_counter", "process_time", "thread_time"]:
    f = getattr(time, name)
    fns = getattr(time, name + "_ns")
    a = f()
    b = fns()
    print(name, type(a).__name__, type(b).__name__, a > 0 or name.endswith("_time"), b >= 0)
    print(time.get_clock_info(name))

m1 = time.monotonic()
p1 = time.perf_counter_ns()
time.sleep(0.01)
time.sleep(0)
m2 = time.monotonic()
p2 = time.perf_counter_ns()
print(m2 - m1 >= 0.01, p2 - p1 >= 10_000_000)
print(abs(time.time() - time.time_ns() / 1e9) < 1.0)
print(time.clock_gettime(time.CLOCK_REALTIME) > 1.6e9, type(time.clock_gettime_ns(time.CLOCK_MONOTONIC)).__name__)
print(time.clock_getres(time.CLOCK_MONOTONIC))
print(time.CLOCK_REALTIME, time.CLOCK_MONOTONIC, time.CLOCK_PROCESS_CPUTIME_ID, time.CLOCK_THREAD_CPUTIME_ID)
for bad in [-1, "1", float("nan")]:
    try:
        time.sleep(bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    time.get_clock_info("nope")
except ValueError as e:
    print(type(e).__name__, e)
try:
    time.time(1)
except TypeError as e:
    print(type(e).__name__, e)
