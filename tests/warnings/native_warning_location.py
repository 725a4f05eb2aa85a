# Warnings issued by native code (CPython's PyErr_WarnEx from C) name the
# Python frame that ran that code: a method call, a constructor, an object
# finalised when its last reference goes.
import io
import sys
import warnings


def show(caught):
    for w in caught:
        print(w.category.__name__, w.filename == __file__, w.lineno, str(w.message)[:40])


def leak_file():
    open(__file__, encoding="utf-8")  # dropped at once: unclosed-file warning


def decode_bad_escape():
    return b"\\d".decode("unicode_escape")


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    leak_file()
    decode_bad_escape()
    io.TextIOWrapper(io.BytesIO(b""), encoding=None)
show(caught)

with warnings.catch_warnings():
    warnings.simplefilter("error", DeprecationWarning)
    try:
        decode_bad_escape()
    except DeprecationWarning as e:
        print("raised", type(e).__name__, e)

# The registry that 'default' uses is the module's: the second warning from
# the same line is not shown again.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("default")
    for _ in range(3):
        decode_bad_escape()
show(caught)
