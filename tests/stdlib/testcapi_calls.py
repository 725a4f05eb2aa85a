# _testcapi: the C limits, the calling-convention probes, the call entry
# points, float packing and the datetime C API probes.
import _testcapi as t
import datetime

for name in ["CHAR_MAX", "CHAR_MIN", "UCHAR_MAX", "SHRT_MAX", "SHRT_MIN", "USHRT_MAX",
             "INT_MAX", "INT_MIN", "UINT_MAX", "LONG_MAX", "LONG_MIN", "ULONG_MAX",
             "LLONG_MAX", "LLONG_MIN", "ULLONG_MAX", "PY_SSIZE_T_MAX", "PY_SSIZE_T_MIN",
             "SIZEOF_TIME_T", "FLT_MAX", "FLT_MIN", "DBL_MAX", "DBL_MIN"]:
    print(name, getattr(t, name))
print(t.Py_Version == __import__("sys").hexversion, t.USE_STACKCHECK)


def show(f, *args, **kw):
    try:
        r = f(*args, **kw)
    except Exception as e:
        print(type(e).__name__, e)
        return
    if isinstance(r, tuple) and r and r[0] is t:
        r = ("<module>",) + r[1:]
    print(r)


show(t.meth_varargs, 1, 2)
show(t.meth_varargs, k=1)
show(t.meth_varargs_keywords, 1, a=2)
print(t.meth_varargs_keywords(1)[1:])
show(t.meth_o, 5)
show(t.meth_o)
show(t.meth_o, 1, 2)
show(t.meth_o, k=1)
show(t.meth_noargs, 1)
show(t.meth_fastcall, *(1, 2, 3))
show(t.meth_fastcall_keywords, 1, b=2)
inst = t.MethInstance()
print(inst.meth_noargs() is inst, t.MethClass.meth_noargs() is t.MethClass,
      t.MethClass().meth_o(3) == (t.MethClass, 3), t.MethStatic.meth_varargs(1), t.MethStatic().meth_o(2))


def f(a, b=2, *, c=3):
    return (a, b, c)


show(t.pyobject_fastcall, f, (1,))
show(t.pyobject_fastcall, f, None)
show(t.pyobject_fastcall, f, [1])
show(t.pyobject_fastcalldict, f, (1,), {"c": 5})
show(t.pyobject_fastcalldict, f, (1,), [])
show(t.pyobject_vectorcall, f, (1, 2, 9), ("c",))
show(t.pyobject_vectorcall, f, (1,), ("a", "b"))
show(t.pyobject_vectorcall, f, (1,), [])
show(t.pyvectorcall_call, f, (1,), {"b": 7})
show(t.pyvectorcall_call, f, [1])
show(t.pyobject_fastcall, f)

d = t.MethodDescriptorBase()
class C:
    m = d
    n = t.MethodDescriptorNopGet()
    o = t.MethodDescriptor2()
print(C().m(), C.m is d, C().n is C.n, C().n(1, 2), C().o(), t.MethodDescriptorDerived()(1))
class H(t.MethodDescriptorBase):
    def __call__(self, *a):
        return ("heap", super().__call__(*a))
print(H()(0))

print(t.sequence_getitem([1, 2, 3], -1))
l = [1, 2, 3, 4]
t.sequence_setitem(l, 0, 9); t.sequence_del_slice(l, 1, 2); t.sequence_set_slice(l, 0, 1, "ab")
print(l)
show(t.sequence_getitem, {}, 0)
print(t.get_mapping_keys({"a": 1}), t.get_mapping_items({"a": 1}), t.mapping_has_key({"a": 1}, "b"))
print(t.W_STOPCODE(19))

for size in (2, 4, 8):
    for le in (0, 1):
        b = t.float_pack(size, 1.5, le)
        print(size, le, b, t.float_unpack(b, le))
show(t.float_pack, 4, 1e300, 0)
show(t.float_pack, 2, 1e10, 0)
show(t.float_pack, 3, 1.0, 0)

t.test_datetime_capi()
import _datetime
print(t.get_timezone_utc_capi(True) is _datetime.timezone.utc)
print(t.make_timezones_capi())
utc0, utc1, non_utc = t.get_timezones_offset_zero()
print(utc0 is _datetime.timezone.utc, utc1 is _datetime.timezone.utc, non_utc)
dt = _datetime.datetime(1993, 8, 26, 22, 12, 55, 99999)
print(t.PyDateTime_GET(dt), t.PyDateTime_DATE_GET(dt), t.PyDateTime_TIME_GET(dt.timetz()),
      t.PyDateTime_DELTA_GET(_datetime.timedelta(26, 55, 99999)))
print(t.datetime_check_date(dt), t.datetime_check_date(dt, True), t.datetime_check_tzinfo(_datetime.timezone.utc))
print(t.get_date_fromdate(False, 1993, 8, 26), t.get_time_fromtimeandfold(True, 1, 2, 3, 4, 1).fold,
      t.get_datetime_fromdateandtimeandfold(False, 2000, 1, 2, 3, 4, 5, 6, 1).fold, t.get_delta_fromdsu(True, 1, 2, 3))
print(t.get_datetime_fromtimestamp(0, _datetime.timezone.utc, True, False))

class I:
    def __index__(self):
        return 0
print(type(compile("pass", "", "exec", I(), dont_inherit=I(), optimize=I())).__name__)
for a in [(1.5,), (0, 1.5), (0, 0, 1.5), (0, 0, 2**40)]:
    show(compile, "pass", "", "exec", *a)
for f in [lambda: t.MethInstance().meth_o(), lambda: t.MethClass.meth_noargs(1), lambda: t.MethStatic.meth_o(),
          lambda: t.MethInstance().meth_varargs(k=1), lambda: t.meth_fastcall(k=1), lambda: t.sequence_setitem({}, 0, 1)]:
    show(f)
