import _locale
import faulthandler
import select

# _locale
print(_locale.setlocale(_locale.LC_NUMERIC), _locale.setlocale(_locale.LC_NUMERIC, "C"))
print(_locale.LC_CTYPE, _locale.LC_NUMERIC, _locale.LC_TIME, _locale.LC_COLLATE, _locale.LC_MONETARY, _locale.LC_MESSAGES, _locale.LC_ALL, _locale.CHAR_MAX)
conv = _locale.localeconv()
print(conv["decimal_point"], repr(conv["thousands_sep"]), conv["grouping"], sorted(conv))
print(_locale.nl_langinfo(_locale.RADIXCHAR), _locale.nl_langinfo(_locale.DAY_1), _locale.nl_langinfo(_locale.ABMON_12))
print(_locale.nl_langinfo(_locale.D_T_FMT), _locale.nl_langinfo(_locale.T_FMT))
print(type(_locale.getencoding()).__name__, _locale.strcoll("a", "b") < 0, _locale.strcoll("b", "b"), _locale.strxfrm("abc"))
print(_locale.Error, issubclass(_locale.Error, Exception))
try:
    _locale.setlocale(_locale.LC_ALL, "no_SUCH.locale")
except _locale.Error as e:
    print(type(e).__name__, e)
try:
    _locale.nl_langinfo(99999)
except ValueError as e:
    print(type(e).__name__, e)

# faulthandler
print(faulthandler.is_enabled())
faulthandler.enable()
print(faulthandler.is_enabled())
faulthandler.disable()
print(faulthandler.is_enabled())


def inner():
    faulthandler.dump_traceback(2, all_threads=False)


def outer():
    inner()


outer()
for bad in [-1, "x"]:
    try:
        faulthandler.dump_traceback(file=bad)
    except (ValueError, AttributeError) as e:
        print(type(e).__name__, e)

# select: stdout (fd 1) is writable
print(select.select([], [1], [], 0))
print(select.select([], [], [], 0.01))
print(select.POLLIN, select.POLLPRI, select.POLLOUT, select.POLLERR, select.POLLHUP, select.POLLNVAL, select.error is OSError)
p = select.poll()
p.register(1, select.POLLOUT)
print(p.poll(0))
p.modify(1, select.POLLOUT | select.POLLIN)
p.unregister(1)
print(p.poll(0))
try:
    p.unregister(1)
except KeyError as e:
    print(type(e).__name__, e)
try:
    p.modify(5, select.POLLIN)
except OSError as e:
    print(type(e).__name__, e)


class F:
    def fileno(self):
        return 1


f = F()
print(select.select([], [f], [], 0)[1] == [f])
for bad in [([-1], [], []), (["x"], [], []), ([], [], [], -1), (5, [], [])]:
    try:
        select.select(*bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
