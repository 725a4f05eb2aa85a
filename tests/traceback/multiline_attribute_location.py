# An attribute access or method call spanning lines is reported at the
# attribute's name (CPython 3.11's update_start_location_to_match_attr).
import os
import traceback


def a():
    (None
        .method
    )()


def b():
    (None.
        method
    )()


def c():
    return (None
        .attr)


def d():
    x = [1]
    return (x
        .index(5))


for f in (a, b, c, d):
    try:
        f()
    except Exception:
        lines = traceback.format_exc().splitlines()
        # Only the innermost frame, without its (absolute or relative) path.
        print("\n".join(l.replace(__file__, "FILE").replace(os.path.abspath(__file__), "FILE") for l in lines[3:]))
