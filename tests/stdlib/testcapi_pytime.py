# _testcapi's probes of CPython's _PyTime_t API: rounding modes, overflow,
# the old _PyTime_ObjectTo* converters.
import _testcapi as t

FLOOR, CEILING, HALF_EVEN, UP = range(4)
NS = [0, 1, -1, 499, 500, 501, -500, -1500, 1500, 2500, -2500, 999_999, 1_000_000,
      -1_500_001, 123_456_789_123, -123_456_789_123, 2**63 - 1, -2**63]


def show(f, *args):
    try:
        print(f.__name__, args, repr(f(*args)))
    except Exception as e:
        print(f.__name__, args, type(e).__name__, e)


for ns in NS:
    show(t.PyTime_AsSecondsDouble, ns)
    show(t.PyTime_AsTimespec, ns)
    show(t.PyTime_AsTimespec_clamp, ns)
    for rnd in range(4):
        show(t.PyTime_AsTimeval, ns, rnd)
        show(t.PyTime_AsTimeval_clamp, ns, rnd)
        show(t.PyTime_AsMilliseconds, ns, rnd)
        show(t.PyTime_AsMicroseconds, ns, rnd)

for secs in [0, 1, -1, 2**31 - 1, -2**31, 2**31, -2**31 - 1, 1.5, True]:
    show(t.PyTime_FromSeconds, secs)

for obj in [0, 3, -7, 1e-9, 1.5e-9, 2.5e-9, -2.5e-9, 0.1, -0.1, 1e10, 9.2e9, 2**62, "x", float("nan"), True]:
    for rnd in range(4):
        show(t.PyTime_FromSecondsObject, obj, rnd)
        show(t.pytime_object_to_time_t, obj, rnd)
        show(t.pytime_object_to_timeval, obj, rnd)
        show(t.pytime_object_to_timespec, obj, rnd)

show(t.pytime_object_to_time_t, 2**64, 0)
show(t.pytime_object_to_time_t, 1e300, 0)
show(t.pytime_object_to_timeval, -1e-7, 2)
show(t.pytime_object_to_timespec, -1.5e-9, 2)
show(t.PyTime_FromSecondsObject, 1, 7)
show(t.PyTime_FromSecondsObject, 1, -1)
show(t.PyTime_FromSecondsObject, 1)
show(t.PyTime_AsSecondsDouble, 1.0)
show(t.PyTime_AsSecondsDouble, 2**63)
show(t.PyTime_AsTimeval, 2**63, 0)
show(t.PyTime_AsTimespec, 1, 2)
show(t.PyTime_AsMilliseconds, "1", 0)
