import sys

sys.excepthook = sys.__excepthook__


def inner():
    return {}["missing"]


try:
    inner()
except KeyError:
    print("exc_info type:", sys.exc_info()[0].__name__)
print("after", sys.exc_info())
inner()
