# The order in which finalizers run at exit for objects held by __main__:
# CPython collects first with everything reachable (which reorders its
# lists: what the module's dict reaches directly first, then what
# containers reach, last item first), then collects __main__.
import sys


class A:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        sys.stdout.write("del %s\n" % self.n)


l1 = [A(10), A(11)]
a1 = A(1)
l2 = [A(20), [A(30), A(31)], A(21)]
a2 = A(2)
h = A(3)
h.x = A(40)
t = (A(50), A(51))
d = {"k": A(60)}
_u = A(4)
print("end of main body")
