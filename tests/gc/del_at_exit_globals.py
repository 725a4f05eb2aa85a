# At exit, objects held by __main__ are finalized with the module's names
# still bound (CPython collects __main__ before clearing anything), so
# __del__ can use globals, imported modules and other classes.
import sys
import traceback


class Other:
    label = "other class"


class Reporter:
    def __init__(self):
        try:
            1 / 0
        except ZeroDivisionError:
            self.exc_info = sys.exc_info()
            self = None

    def __del__(self):
        traceback.print_exception(*self.exc_info, file=sys.stdout)
        print("globals intact:", CONSTANT, Other.label, _private)


CONSTANT = 42
_private = "underscored"
obj = Reporter()
print("end of main body")
