# The with statement passes the exception's traceback to __exit__; a
# generator-based context manager re-throws into its generator and puts that
# traceback back, so the frames below the with statement stay in the
# traceback that propagates.
import contextlib
import sys
import traceback


def names(tb):
    return [f.name for f in traceback.extract_tb(tb)]


class Plain:
    def __enter__(self):
        return self

    def __exit__(self, typ, value, tb):
        print("__exit__ got", typ.__name__, type(value).__name__, names(tb), tb is value.__traceback__)
        return False


@contextlib.contextmanager
def generator_cm():
    yield


class DropsTraceback:
    def __enter__(self):
        pass

    def __exit__(self, typ, value, tb):
        value.__traceback__ = None
        return False


def inner():
    raise AssertionError("boom")


def through(cm):
    with cm():
        return inner()


for cm in (Plain, generator_cm, DropsTraceback, contextlib.nullcontext):
    try:
        through(cm)
    except AssertionError:
        print(getattr(cm, "__name__", cm), names(sys.exc_info()[2]))


class Suppress:
    def __enter__(self):
        pass

    def __exit__(self, typ, value, tb):
        print("suppressing", typ, value, type(tb).__name__)
        return True


with Suppress():
    pass
with Suppress():
    raise KeyError("k")
print("suppressed")
