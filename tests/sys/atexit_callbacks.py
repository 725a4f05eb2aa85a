import atexit


def show(*args, **kwargs):
    print("show", args, sorted(kwargs.items()))


class Boom:
    def __call__(self):
        raise ValueError("callback failed")

    def __repr__(self):
        return "<Boom>"


boom = Boom()


class Eq:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return isinstance(other, Eq) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def __call__(self):
        print("Eq called", self.name)


n0 = atexit._ncallbacks()
print(atexit.register(show, 1, 2, key="v") is show)
atexit.register(boom)
atexit.register(show, "second")
atexit.register(Eq("a"))
atexit.register(Eq("b"))
print(atexit._ncallbacks() - n0)
atexit.unregister(Eq("a"))
print(atexit._ncallbacks() - n0)
try:
    atexit.register(5)
except TypeError as e:
    print(type(e).__name__, e)
try:
    atexit.register()
except TypeError as e:
    print(type(e).__name__, e)


def nested():
    print("nested registers another")
    atexit.register(show, "registered during exit")


atexit.register(nested)
atexit._run_exitfuncs()
print("after run", atexit._ncallbacks())
atexit.register(show, "at exit")
atexit.register(boom)
atexit.register(show, "cleared")
atexit._clear()
atexit.register(show, "really at exit")
atexit.register(boom)
print("end of main")
