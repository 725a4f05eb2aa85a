# The application-level half of Taipan's _ctypes (see mod.rs): the C data
# types, their metaclasses and the module functions, on top of the _rt_*
# primitives (raw memory, dlopen, libffi calls and closures) written in Rust.

import struct as _struct
from _weakref import ref as _weakref_ref
import sys as _sys

__doc__ = "Create and manipulate C compatible data types in Python."

FUNCFLAG_CDECL = 0x1
FUNCFLAG_HRESULT = 0x2
FUNCFLAG_PYTHONAPI = 0x4
FUNCFLAG_USE_ERRNO = 0x8
FUNCFLAG_USE_LASTERROR = 0x10
RTLD_LOCAL = 0
RTLD_GLOBAL = 0x100
CTYPES_MAX_ARGCOUNT = 1024
_RTLD_NOW = 2

_alloc = _rt_alloc
_free = _rt_free
_read = _rt_read
_write = _rt_write
_memset_raw = _rt_memset
_memmove_raw = _rt_memmove
_strlen = _rt_strlen
_wcslen = _rt_wcslen
_ffi_call = _rt_call
_thunk = _rt_thunk
_thunk_free = _rt_thunk_free
_dlopen_raw = _rt_dlopen
_dlsym_raw = _rt_dlsym
_dlclose_raw = _rt_dlclose


class ArgumentError(Exception):
    pass

ArgumentError.__module__ = 'ctypes'


_export = _rt_export
_unexport = _rt_unexport


class _Export:
    """Holds a buffer exporter whose memory a C data object uses."""
    __slots__ = ('exporter', 'obj')

    def __init__(self, exporter, obj):
        self.exporter = exporter
        self.obj = obj

    def __del__(self):
        exp = self.exporter
        if exp is not None:
            self.exporter = None
            _unexport(exp)


class _Mem:
    """A block of memory owned by one C data object (freed with it)."""
    __slots__ = ('addr', 'size')

    def __init__(self, size):
        self.addr = 0
        self.size = size
        self.addr = _alloc(size)

    def __del__(self):
        addr = self.addr
        if addr:
            self.addr = 0
            _free(addr, self.size)


# ---------------------------------------------------------------- simple codes

_SIMPLE_CODES = "cbBhHiIlLdfuzZqQPXOv?g"
# code: (size, alignment)
_CODE_INFO = {
    'c': (1, 1), 'b': (1, 1), 'B': (1, 1), '?': (1, 1),
    'h': (2, 2), 'H': (2, 2), 'i': (4, 4), 'I': (4, 4),
    'l': (8, 8), 'L': (8, 8), 'q': (8, 8), 'Q': (8, 8),
    'f': (4, 4), 'd': (8, 8), 'g': (16, 16), 'u': (4, 4),
    'z': (8, 8), 'Z': (8, 8), 'P': (8, 8), 'O': (8, 8),
    'X': (8, 8), 'v': (2, 2),
}
_INT_CODES = "bBhHiIlLqQ"
_SIGNED = "bhilq"

_MISSING = object()

# py_object storage: the memory holds id(obj); the objects are kept here.
_pyobjects = {}


def _ld_pack(x):
    # x87 80-bit extended precision, little endian, padded to 16 bytes.
    import math
    sign = 0
    if math.copysign(1.0, x) < 0:
        sign = 1
        x = -x
    if x != x:
        exp, mant = 0x7fff, 0xC000000000000000
    elif x == float('inf'):
        exp, mant = 0x7fff, 0x8000000000000000
    elif x == 0.0:
        exp, mant = 0, 0
    else:
        m, e = math.frexp(x)  # x = m * 2**e, 0.5 <= m < 1
        exp = e - 1 + 16383
        mant = int(m * (1 << 64))
        if exp <= 0:
            mant >>= (1 - exp)
            exp = 0
    return (mant.to_bytes(8, 'little') + ((sign << 15) | exp).to_bytes(2, 'little')
            + bytes(6))


def _ld_unpack(b):
    mant = int.from_bytes(b[:8], 'little')
    se = int.from_bytes(b[8:10], 'little')
    sign = -1.0 if se >> 15 else 1.0
    exp = se & 0x7fff
    if exp == 0x7fff:
        if mant & 0x7fffffffffffffff:
            return float('nan')
        return sign * float('inf')
    if exp == 0:
        exp = 1
    import math
    try:
        return sign * math.ldexp(float(mant), exp - 16383 - 63)
    except OverflowError:
        return sign * float('inf')


def _int_value(value):
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise TypeError("'float' object cannot be interpreted as an integer")
    try:
        index = type(value).__index__
    except AttributeError:
        raise TypeError("'%s' object cannot be interpreted as an integer"
                        % type(value).__name__) from None
    return index(value)


def _addr_value(value):
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFFFFFFFFFFFFFFFF
    raise TypeError("cannot be converted to pointer")


def _get_code(code, addr, swapped=False):
    """The Python value of a fundamental C value at addr."""
    if code in _INT_CODES:
        n = _CODE_INFO[code][0]
        return int.from_bytes(_read(addr, n), 'big' if swapped else 'little',
                              signed=code in _SIGNED)
    if code == 'd':
        return _struct.unpack('>d' if swapped else '<d', _read(addr, 8))[0]
    if code == 'f':
        return _struct.unpack('>f' if swapped else '<f', _read(addr, 4))[0]
    if code == '?':
        return _read(addr, 1) != b'\0'
    if code == 'v':
        return _read(addr, 2) != b'\0\0'
    if code == 'c':
        return _read(addr, 1)
    if code == 'g':
        return _ld_unpack(_read(addr, 16))
    if code == 'u':
        return chr(int.from_bytes(_read(addr, 4), 'little'))
    p = int.from_bytes(_read(addr, 8), 'little')
    if code == 'P':
        return p or None
    if code == 'z':
        if not p:
            return None
        return _read(p, _strlen(p))
    if code == 'Z':
        if not p:
            return None
        return _wstr_read(p, _wcslen(p))
    if code == 'O':
        if not p:
            raise ValueError("PyObject is NULL")
        try:
            return _pyobjects[p]
        except KeyError:
            raise ValueError("PyObject is NULL") from None
    if code == 'X':
        return p or None
    raise TypeError("unknown type code %r" % code)


def _wstr_read(addr, n):
    data = _read(addr, 4 * n)
    return ''.join([chr(int.from_bytes(data[i:i + 4], 'little')) for i in range(0, 4 * n, 4)])


def _wstr_bytes(s):
    return b''.join([ord(ch).to_bytes(4, 'little') for ch in s])


def _buffer_from_bytes(data):
    """A _Mem holding data (kept alive by the object pointing into it)."""
    m = _Mem(len(data))
    _write(m.addr, data)
    return m


def _set_code(code, addr, value, swapped=False):
    """Stores a Python value as a fundamental C value; returns what must be kept alive."""
    if code in _INT_CODES:
        n = _CODE_INFO[code][0]
        v = _int_value(value) & ((1 << (8 * n)) - 1)
        _write(addr, v.to_bytes(n, 'big' if swapped else 'little'))
        return None
    if code in 'df':
        try:
            v = float(value) if not isinstance(value, float) else value
        except (TypeError, ValueError):
            raise TypeError("must be real number, not %s" % type(value).__name__) from None
        if isinstance(value, (str, bytes)):
            raise TypeError("must be real number, not %s" % type(value).__name__)
        fmt = ('>' if swapped else '<') + code
        if code == 'f' and v == v and abs(v) > 3.4028234663852886e+38:
            # C's double-to-float conversion: out of range becomes infinity.
            v = float('inf') if v > 0 else float('-inf')
        _write(addr, _struct.pack(fmt, v))
        return None
    if code == 'g':
        if isinstance(value, (str, bytes)):
            raise TypeError("must be real number, not %s" % type(value).__name__)
        _write(addr, _ld_pack(float(value)))
        return None
    if code == '?':
        _write(addr, b'\1' if value else b'\0')
        return None
    if code == 'v':
        _write(addr, b'\xff\xff' if value else b'\0\0')
        return None
    if code == 'c':
        if isinstance(value, (bytes, bytearray)) and len(value) == 1:
            _write(addr, bytes(value))
            return None
        if isinstance(value, int) and 0 <= value < 256:
            _write(addr, bytes([value]))
            return None
        raise TypeError("one character bytes, bytearray or integer expected")
    if code == 'u':
        if not isinstance(value, str):
            raise TypeError("unicode string expected instead of %s instance"
                            % type(value).__name__)
        if len(value) != 1:
            raise TypeError("one character unicode string expected")
        _write(addr, ord(value).to_bytes(4, 'little'))
        return None
    if code == 'z':
        keep = None
        if value is None:
            p = 0
        elif isinstance(value, int):
            p = value & 0xFFFFFFFFFFFFFFFF
        elif isinstance(value, bytes):
            keep = _buffer_from_bytes(value + b'\0')
            p = keep.addr
            keep = _Hidden(value, keep)
        else:
            raise TypeError("bytes or integer address expected instead of %s instance"
                            % type(value).__name__)
        _write(addr, p.to_bytes(8, 'little'))
        return keep
    if code == 'Z':
        keep = None
        if value is None:
            p = 0
        elif isinstance(value, int):
            p = value & 0xFFFFFFFFFFFFFFFF
        elif isinstance(value, str):
            keep = _buffer_from_bytes(_wstr_bytes(value) + bytes(4))
            p = keep.addr
            keep = _Hidden(value, keep)
        else:
            raise TypeError("unicode string or integer address expected instead of %s instance"
                            % type(value).__name__)
        _write(addr, p.to_bytes(8, 'little'))
        return keep
    if code in 'PX':
        _write(addr, _addr_value(value).to_bytes(8, 'little'))
        return None
    if code == 'O':
        _pyobjects[id(value)] = value
        _write(addr, id(value).to_bytes(8, 'little'))
        return value
    raise TypeError("unknown type code %r" % code)


# ---------------------------------------------------------------- instances

def _root(obj):
    while obj._b_base is not None:
        obj = obj._b_base
    return obj


class _Hidden:
    """A value to keep alive plus a buffer that _objects does not show."""
    __slots__ = ('value', 'mem')

    def __init__(self, value, mem):
        self.value = value
        self.mem = mem


def _container(obj):
    root = _root(obj)
    if root._b_objs is None and _stg(type(root)).kind != 'simple':
        root._b_objs = {}
    return root


def _kept_objects(obj):
    """What keeps obj's memory meaningful (CPython's GetKeepedObjects)."""
    root = _container(obj)
    hidden = root._b_hidden
    if hidden:
        return _Hidden(root._b_objs, hidden)
    return root._b_objs


def _unique_key(target, index):
    key = '%x' % index
    while target._b_base is not None:
        key += ':%x' % target._b_index
        target = target._b_base
    return key


def _keep(target, index, keep):
    """Keeps keep alive with target's memory (CPython's KeepRef)."""
    mem = None
    if isinstance(keep, _Hidden):
        mem = keep.mem
        keep = keep.value
    if keep is None and mem is None:
        return
    root = _root(target)
    key = _unique_key(target, index)
    if mem is not None:
        hidden = root._b_hidden
        if hidden is None:
            hidden = root._b_hidden = {}
        hidden[key] = mem
    if keep is None:
        return
    root = _container(target)
    if not isinstance(root._b_objs, dict):
        root._b_objs = keep
        return
    root._b_objs[key] = keep


def _new_instance(cls, addr, base=None, mem=None, index=0):
    self = _CDataObject.__new__(cls)
    self._b_addr = addr
    st = _stg(cls)
    st.final = True
    self._b_size = st.size
    self._b_fmt = st.fmt
    if mem is not None:
        self._b_mem = mem
    if base is not None:
        self._b_base = base
    self._b_index = index
    return self


def _own(cls):
    size = _sizeof_type(cls)
    m = _Mem(size)
    return _new_instance(cls, m.addr, None, m)


class _CData(_CDataObject):
    __slots__ = ()

    def __new__(cls, *args, **kw):
        if _stg(cls) is None:
            raise TypeError("abstract class")
        return _own(cls)

    @property
    def _b_base_(self):
        return self._b_base

    @property
    def _b_needsfree_(self):
        return 1 if self._b_mem is not None else 0

    @property
    def _objects(self):
        return self._b_objs

    def __ctypes_from_outparam__(self):
        return self

    def __reduce__(self):
        if _has_pointer(type(self)):
            raise ValueError("ctypes objects containing pointers cannot be pickled")
        return (_unpickle, (type(self), (self.__dict__, self.__bytes_copy())))

    def __bytes_copy(self):
        return _read(self._b_addr, _sizeof_type(type(self)))

    def __setstate__(self, *args):
        if len(args) != 2:
            raise TypeError("__setstate__ expected 2 arguments, got %d" % len(args))
        d, data = args
        if not isinstance(d, dict):
            raise TypeError("__setstate__() argument 1 must be dict, not %s"
                            % type(d).__name__)
        if not isinstance(data, bytes):
            raise TypeError("__setstate__() argument 2 must be bytes, not %s"
                            % type(data).__name__)
        n = min(len(data), _sizeof_type(type(self)))
        _write(self._b_addr, data[:n])
        self.__dict__.update(d)


def _unpickle(typ, state):
    obj = typ.__new__(typ)
    obj.__setstate__(*state)
    return obj


def _has_pointer(cls):
    st = _stg(cls)
    return bool(st and st.has_pointer)


class _StgInfo:
    """The storage information of a C type (CPython's StgDict)."""
    __slots__ = ('size', 'align', 'length', 'ffi', 'code', 'proto', 'fields',
                 'has_pointer', 'final', 'kind', 'swapped', 'flags', 'argtypes',
                 'restype', 'errcheck', 'checker', 'bitfields', 'fmt')

    def __init__(self, kind, size, align, ffi):
        self.kind = kind
        self.size = size
        self.align = align
        self.ffi = ffi
        self.length = 0
        self.code = None
        self.proto = None
        self.fields = None
        self.has_pointer = False
        self.final = False
        self.swapped = False
        self.flags = 0
        self.argtypes = None
        self.restype = None
        self.errcheck = None
        self.fmt = ('B', 1)


def _stg(cls):
    """The storage info of a type (or of an instance's type), or None."""
    if not isinstance(cls, type):
        cls = type(cls)
    try:
        return type.__getattribute__(cls, '_ct_stg_')
    except AttributeError:
        return None


def _sizeof_type(cls):
    st = _stg(cls)
    return st.size if st is not None else 0


def _is_ctype(cls):
    return isinstance(cls, type) and _stg(cls) is not None


class _CDataType(type):
    """Common methods of the C data metaclasses."""

    def __mul__(self, length):
        if not isinstance(length, int):
            return NotImplemented
        return _array_type(self, length)

    __rmul__ = __mul__

    def from_address(self, address):
        if not isinstance(address, int):
            raise TypeError("integer expected")
        if _stg(self) is None:
            raise TypeError("abstract class")
        return _new_instance(self, address & 0xFFFFFFFFFFFFFFFF)

    def from_buffer(self, obj, offset=0):
        st = _stg(self)
        if st is None:
            raise TypeError("abstract class")
        if isinstance(obj, _CData):
            size = _sizeof_type(type(obj))
            base = obj
            addr = obj._b_addr
        else:
            exp, addr, size = _export(obj)
            base = None
        if offset < 0:
            raise ValueError("offset cannot be negative")
        if st.size > size - offset:
            raise ValueError("Buffer size too small (%d instead of at least %d bytes)"
                             % (size, st.size + offset))
        result = _new_instance(self, addr + offset, base)
        if base is None:
            _keep(result, -1, _Hidden(obj, _Export(exp, obj)))
        else:
            _keep(result, -1, obj)
        return result

    def from_buffer_copy(self, obj, offset=0):
        st = _stg(self)
        if st is None:
            raise TypeError("abstract class")
        if isinstance(obj, _CData):
            data = _read(obj._b_addr, _sizeof_type(type(obj)))
        else:
            data = memoryview(obj).tobytes()
        if offset < 0:
            raise ValueError("offset cannot be negative")
        if st.size > len(data) - offset:
            raise ValueError("Buffer size too small (%d instead of at least %d bytes)"
                             % (len(data), st.size + offset))
        result = _own(self)
        _write(result._b_addr, data[offset:offset + st.size])
        return result

    def in_dll(self, dll, name):
        handle = dll._handle
        try:
            addr = _dlsym_raw(handle, name)
        except OSError as e:
            raise ValueError(str(e)) from None
        return self.from_address(addr)

    def from_param(self, value):
        if _stg(self) is None:
            raise TypeError("abstract class")
        if isinstance(value, self):
            return value
        if isinstance(value, _CArgObject) and value._obj is not None and isinstance(value._obj, self):
            return value
        as_param = getattr(value, '_as_parameter_', _MISSING)
        if as_param is not _MISSING:
            return self.from_param(as_param)
        raise TypeError("expected %s instance instead of %s"
                        % (self.__name__, type(value).__name__))


# ---------------------------------------------------------------- simple types

class PyCSimpleType(_CDataType):
    def __new__(mcls, name, bases, ns, **kw):
        cls = type.__new__(mcls, name, bases, ns, **kw)
        if ns.get('_ct_base_') or '_type_' not in ns and _stg(cls) is not None:
            return cls
        try:
            code = cls._type_
        except AttributeError:
            raise AttributeError("class must define a '_type_' attribute") from None
        if not isinstance(code, str):
            raise TypeError("class must define a '_type_' string attribute")
        if len(code) != 1:
            raise ValueError("class must define a '_type_' attribute which must be a string of length 1")
        if code not in _SIMPLE_CODES:
            raise AttributeError("class must define a '_type_' attribute which must be\n"
                                 "a single character string containing one of '%s'."
                                 % _SIMPLE_CODES)
        size, align = _CODE_INFO[code]
        st = _StgInfo('simple', size, align, code)
        st.code = code
        st.swapped = ns.get('_ct_swapped_', False)
        if not st.swapped and code in "cbBhHiIlLqQfd?":
            st.fmt = (code, size)
        type.__setattr__(cls, '_ct_stg_', st)
        if code in 'zZP':
            st.has_pointer = True
        if cls.__bases__[0] is _SimpleCData and not st.swapped:
            if code in "hHiIlLqQfd?":
                other = PyCSimpleType(name + ('_be' if _sys.byteorder == 'little' else '_le'),
                                      bases, {'_type_': code, '_ct_swapped_': True,
                                              '__module__': cls.__module__})
                if _sys.byteorder == 'little':
                    type.__setattr__(cls, '__ctype_le__', cls)
                    type.__setattr__(cls, '__ctype_be__', other)
                    type.__setattr__(other, '__ctype_le__', cls)
                    type.__setattr__(other, '__ctype_be__', other)
            elif code in "bBc":
                type.__setattr__(cls, '__ctype_le__', cls)
                type.__setattr__(cls, '__ctype_be__', cls)
        return cls

    def from_param(self, value):
        if _stg(self) is None:
            raise TypeError("abstract class")
        if isinstance(value, self):
            return value
        code = _stg(self).code
        if code == 'z':
            if value is None:
                return None
            if isinstance(value, bytes):
                return _carg(self(value), value)
            if isinstance(value, (Array, _Pointer)) and _stg(type(value)).proto is not None \
                    and _stg(_stg(type(value)).proto).code == 'c':
                return value
            if isinstance(value, _CArgObject) and isinstance(value._obj, _SimpleCData) \
                    and _stg(value._obj).code == 'c':
                return value
        elif code == 'Z':
            if value is None:
                return None
            if isinstance(value, str):
                return _carg(self(value), value)
            if isinstance(value, (Array, _Pointer)) and _stg(type(value)).proto is not None \
                    and _stg(_stg(type(value)).proto).code == 'u':
                return value
            if isinstance(value, _CArgObject) and isinstance(value._obj, _SimpleCData) \
                    and _stg(value._obj).code == 'u':
                return value
        elif code == 'P':
            if value is None:
                return None
            if isinstance(value, int):
                return _carg(self(value))
            if isinstance(value, bytes):
                return _carg(c_char_p_type()(value), value)
            if isinstance(value, str):
                return _carg(c_wchar_p_type()(value), value)
            if isinstance(value, (Array, _Pointer, CFuncPtr)):
                return value
            if isinstance(value, _CArgObject) and value._code == 'P':
                return value
            if isinstance(value, _SimpleCData) and _stg(type(value)).code in 'zZP':
                return value
        else:
            try:
                return _carg(self(value))
            except (TypeError, ValueError, OverflowError):
                pass
        as_param = getattr(value, '_as_parameter_', _MISSING)
        if as_param is not _MISSING:
            return self.from_param(as_param)
        raise TypeError("wrong type")


def _simple_cls(code):
    for c in _fundamental.get(code, ()):
        return c
    cls = PyCSimpleType('c_' + code, (_SimpleCData,), {'_type_': code})
    _fundamental[code] = [cls]
    return cls


_fundamental = {}


def c_char_p_type():
    return _simple_cls('z')


def c_wchar_p_type():
    return _simple_cls('Z')


class _SimpleCData(_CData, metaclass=PyCSimpleType):
    __slots__ = ()
    _ct_base_ = True

    def __init__(self, *args):
        if len(args) > 1:
            raise TypeError("__init__ expected at most 1 argument, got %d" % len(args))
        if args:
            self.value = args[0]

    @property
    def value(self):
        st = _stg(self)
        return _get_code(st.code, self._b_addr, st.swapped)

    @value.setter
    def value(self, v):
        st = _stg(self)
        keep = _set_code(st.code, self._b_addr, v, st.swapped)
        _keep(self, self._b_index, keep)

    @value.deleter
    def value(self):
        raise TypeError("can't delete attribute")

    def __bool__(self):
        st = _stg(self)
        if st.code in 'zZ':
            return int.from_bytes(_read(self._b_addr, 8), 'little') != 0
        if st.code == 'O':
            return bool(int.from_bytes(_read(self._b_addr, 8), 'little'))
        return bool(self.value)

    def __repr__(self):
        cls = type(self)
        if cls.__bases__[0] is not _SimpleCData:
            return '<%s object at %#x>' % (cls.__name__, id(self))
        try:
            return '%s(%r)' % (cls.__name__, self.value)
        except ValueError:
            return '%s(<NULL>)' % cls.__name__

    def __ctypes_from_outparam__(self):
        cls = type(self)
        if cls.__bases__[0] is _SimpleCData:
            return self.value
        return self




# ---------------------------------------------------------------- fields

class CField:
    """A structure or union member."""
    __slots__ = ('name', 'type', 'offset', 'size', 'index', 'bits', 'bitofs', 'anonymous')

    def __new__(cls, *args, **kw):
        raise TypeError("cannot create '_ctypes.CField' instances")

    def __setattr__(self, name, value):
        raise AttributeError("readonly attribute")

    def __repr__(self):
        if self.bits:
            return '<Field type=%s, ofs=%d:%d, bits=%d>' % (
                self.type.__name__, self.offset, self.bitofs, self.bits)
        return '<Field type=%s, ofs=%d, size=%d>' % (self.type.__name__, self.offset, self.size)

    def __get__(self, inst, owner=None):
        if inst is None:
            return self
        if not isinstance(inst, _CData):
            raise TypeError("not a ctype instance")
        addr = inst._b_addr + self.offset
        if self.bits:
            st = _stg(self.type)
            n = st.size
            raw = int.from_bytes(_read(addr, n), 'big' if st.swapped else 'little')
            v = (raw >> self.bitofs) & ((1 << self.bits) - 1)
            if st.code in _SIGNED and v >> (self.bits - 1):
                v -= 1 << self.bits
            if st.code == '?':
                return bool(v)
            return v
        return _value_at(self.type, addr, inst, self.index)

    def __set__(self, inst, value):
        if not isinstance(inst, _CData):
            raise TypeError("not a ctype instance")
        addr = inst._b_addr + self.offset
        if self.bits:
            st = _stg(self.type)
            n = st.size
            order = 'big' if st.swapped else 'little'
            v = _int_value(value)
            raw = int.from_bytes(_read(addr, n), order)
            mask = ((1 << self.bits) - 1) << self.bitofs
            raw = (raw & ~mask) | ((v << self.bitofs) & mask)
            _write(addr, raw.to_bytes(n, order))
            return
        _store_at(self.type, addr, value, inst, self.index)

    def __delete__(self, inst):
        raise TypeError("can't delete attribute")




def _value_at(typ, addr, base, index):
    """The Python value of a typ stored at addr inside base."""
    st = _stg(typ)
    if st.kind == 'simple' and typ.__bases__[0] is _SimpleCData:
        return _get_code(st.code, addr, st.swapped)
    if st.kind == 'array' and st.proto is not None:
        pst = _stg(st.proto)
        if pst.kind == 'simple' and pst.code == 'c':
            data = _read(addr, st.length)
            i = data.find(b'\0')
            return data if i < 0 else data[:i]
        if pst.kind == 'simple' and pst.code == 'u':
            s = _wstr_read(addr, st.length)
            i = s.find('\0')
            return s if i < 0 else s[:i]
    return _new_instance(typ, addr, base, None, index)


def _construct(typ, args):
    try:
        return typ(*args)
    except Exception as e:
        raise RuntimeError("(%s) %s: %s" % (typ.__name__, type(e).__name__, e)) from None


def _store_at(typ, addr, value, base, index):
    """Stores value as a typ at addr inside base (CPython's _PyCData_set)."""
    st = _stg(typ)
    if isinstance(value, _CData) and type(value) is typ:
        _memmove_raw(addr, value._b_addr, st.size)
        _keep(base, index, _kept_objects(value))
        return
    if st.kind == 'simple':
        if isinstance(value, _SimpleCData) and isinstance(value, typ):
            value = value.value
        keep = _set_code(st.code, addr, value, st.swapped)
        _keep(base, index, keep)
        return
    if st.kind == 'pointer':
        if isinstance(value, _CData) and isinstance(value, typ):
            _memmove_raw(addr, value._b_addr, 8)
            _keep(base, index, _kept_objects(value))
            return
        if isinstance(value, Array) and st.proto is not None and \
                _stg(type(value)).proto is st.proto:
            _write(addr, value._b_addr.to_bytes(8, 'little'))
            _keep(base, index, value)
            return
        if value is None:
            _write(addr, bytes(8))
            return
        raise TypeError("expected %s instead of %s" % (typ.__name__, type(value).__name__))
    if st.kind in ('struct', 'union') and isinstance(value, tuple):
        v = _construct(typ, value)
        _memmove_raw(addr, v._b_addr, st.size)
        _keep(base, index, _kept_objects(v))
        return
    if st.kind == 'array':
        pst = _stg(st.proto)
        if pst.code == 'c' and not isinstance(value, (bytes, tuple, Array)):
            raise TypeError("expected bytes, %s found" % type(value).__name__)
        if pst.code == 'c' and isinstance(value, bytes):
            n = value.find(b'\0')
            if n >= 0:
                value = value[:n]
            if len(value) > st.length:
                raise ValueError("bytes too long (%d, maximum length %d)" % (len(value), st.length))
            _write(addr, value + (b'\0' if len(value) < st.length else b''))
            return
        if pst.code == 'u' and isinstance(value, str):
            if len(value) > st.length:
                raise ValueError("string too long (%d, maximum length %d)" % (len(value), st.length))
            _write(addr, _wstr_bytes(value) + (bytes(4) if len(value) < st.length else b''))
            return
        if isinstance(value, tuple):
            v = _construct(typ, value)
            _memmove_raw(addr, v._b_addr, st.size)
            _keep(base, index, _kept_objects(v))
            return
    if st.kind == 'funcptr':
        if value is None:
            _write(addr, bytes(8))
            return
        if isinstance(value, typ):
            _memmove_raw(addr, value._b_addr, 8)
            _keep(base, index, value)
            return
        if callable(value):
            f = typ(value)
            _memmove_raw(addr, f._b_addr, 8)
            _keep(base, index, f)
            return
    raise TypeError("expected %s instance, got %s" % (typ.__name__, type(value).__name__))


# ---------------------------------------------------------------- structures

def _ffi_of(cls):
    return _stg(cls).ffi


def _layout(cls, fields, is_union):
    if not isinstance(fields, (list, tuple)):
        raise TypeError("_fields_ must be a sequence of pairs")
    pack = cls.__dict__.get('_pack_', None)
    if pack is None:
        pack = getattr(cls, '_pack_', 0)
    if not isinstance(pack, int) or isinstance(pack, bool) or pack < 0:
        if isinstance(pack, int) and pack < 0:
            raise ValueError("_pack_ must be a non-negative integer")
        raise TypeError("_pack_ must be an integer")
    base_st = None
    for b in cls.__bases__:
        s = _stg(b)
        if s is not None and s.kind in ('struct', 'union') and s.fields is not None:
            base_st = s
            break
    if base_st is not None:
        size = base_st.size
        align = base_st.align
        ffi_members = list(base_st.ffi)
        index = len(base_st.fields)
        all_fields = list(base_st.fields)
        has_pointer = base_st.has_pointer
    else:
        size = 0
        align = 1
        ffi_members = []
        index = 0
        all_fields = []
        has_pointer = False
    swapped = hasattr(cls, '_swappedbytes_')
    bitpos = None  # the bit after the last bit field, while bit fields follow each other
    for i, item in enumerate(fields):
        if not isinstance(item, tuple) or len(item) not in (2, 3):
            raise TypeError("'_fields_' must be a sequence of (name, C type) pairs")
        name, typ = item[0], item[1]
        if not isinstance(name, str):
            raise TypeError("'_fields_' must be a sequence of (name, C type) pairs")
        if typ is cls:
            raise AttributeError("Structure or union cannot contain itself")
        fst = _stg(typ) if isinstance(typ, type) else None
        if fst is None:
            raise TypeError("second item in _fields_ tuple (index %d) must be a C type" % i)
        if fst.kind == 'struct' or fst.kind == 'union':
            fst.final = True
        fsize, falign = fst.size, fst.align
        if pack:
            falign = min(pack, falign)
        f = object.__new__(CField)
        object.__setattr__(f, 'name', name)
        object.__setattr__(f, 'type', typ)
        object.__setattr__(f, 'index', index)
        object.__setattr__(f, 'anonymous', False)
        object.__setattr__(f, 'bits', 0)
        object.__setattr__(f, 'bitofs', 0)
        if fst.kind in ('pointer', 'funcptr') or fst.has_pointer or \
                (fst.kind == 'simple' and fst.code in 'zZPO'):
            has_pointer = True
        if len(item) == 3:
            bits = item[2]
            if fst.kind != 'simple' or fst.code not in _INT_CODES + '?' + 'c':
                raise TypeError("bit fields not allowed for type %s" % typ.__name__)
            if fst.code == 'c':
                raise TypeError("bit fields not allowed for type %s" % typ.__name__)
            if not isinstance(bits, int) or bits <= 0 or bits > fsize * 8:
                raise ValueError("number of bits invalid for bit field")
            if is_union:
                object.__setattr__(f, 'offset', 0)
                object.__setattr__(f, 'bitofs', 0)
                object.__setattr__(f, 'bits', bits)
                object.__setattr__(f, 'size', bits << 16)
                size = max(size, fsize)
                ffi_members.append(fst.ffi)
            else:
                # The C compiler's rule: the field goes at the next free bit
                # unless it would cross a boundary of its type's size.
                unit = fsize * 8
                start = bitpos if bitpos is not None else size * 8
                if start // unit != (start + bits - 1) // unit:
                    start = (start // unit + 1) * unit
                object.__setattr__(f, 'offset', start // unit * fsize)
                object.__setattr__(f, 'bitofs', start - f.offset * 8)
                if f.offset + fsize > size or bitpos is None:
                    ffi_members.append(fst.ffi)
                bitpos = start + bits
                # CPython 3.11: the next plain field starts after the whole unit.
                size = max(size, f.offset + fsize)
                object.__setattr__(f, 'bits', bits)
                if swapped:
                    object.__setattr__(f, 'bitofs', fsize * 8 - f.bitofs - bits)
                object.__setattr__(f, 'size', (bits << 16) | f.bitofs)
        else:
            bitpos = None
            if is_union:
                object.__setattr__(f, 'offset', 0)
                size = max(size, fsize)
            else:
                off = (size + falign - 1) // falign * falign if falign else size
                object.__setattr__(f, 'offset', off)
                size = off + fsize
            object.__setattr__(f, 'size', fsize)
            if fst.kind == 'array':
                ffi_members.extend([_stg(fst.proto).ffi if fst.proto is not None else 'B'] * fst.length
                                   if fst.length else [])
            else:
                ffi_members.append(fst.ffi)
        align = max(align, falign)
        index += 1
        all_fields.append(f)
        type.__setattr__(cls, name, f)
    if align:
        size = (size + align - 1) // align * align
    st = _StgInfo('union' if is_union else 'struct', size, align,
                  tuple(ffi_members) if not is_union else _union_ffi(all_fields, size))
    st.fields = all_fields
    st.has_pointer = has_pointer
    type.__setattr__(cls, '_ct_stg_', st)
    anon = cls.__dict__.get('_anonymous_')
    if anon is not None:
        _make_anonymous(cls, anon)


def _union_ffi(fields, size):
    # Pass a union as its largest member padded with bytes.
    best = None
    for f in fields:
        if best is None or _stg(f.type).size > _stg(best.type).size:
            best = f
    if best is None:
        return ('B',) * max(size, 1)
    members = [_stg(best.type).ffi]
    rest = size - _stg(best.type).size
    members.extend(['B'] * rest)
    return tuple(members)


class _AnonField:
    __slots__ = ('outer', 'inner', 'offset', 'size', 'name')

    def __get__(self, inst, owner=None):
        if inst is None:
            return self
        return getattr(self.outer.__get__(inst, owner), self.name)

    def __set__(self, inst, value):
        setattr(self.outer.__get__(inst), self.name, value)


def _make_anonymous(cls, anon):
    try:
        names = list(anon)
    except TypeError:
        raise TypeError("_anonymous_ must be a sequence") from None
    for name in names:
        f = cls.__dict__.get(name)
        if not isinstance(f, CField):
            raise AttributeError("'%s' is specified in _anonymous_ but not in _fields_" % name)
        object.__setattr__(f, 'anonymous', True)
        for subname, sub in list(f.type.__dict__.items()):
            if not isinstance(sub, (CField, _AnonField)):
                continue
            a = _AnonField()
            a.outer = f
            a.inner = sub
            a.name = subname
            a.offset = f.offset + sub.offset
            a.size = sub.size
            type.__setattr__(cls, subname, a)


class PyCStructType(_CDataType):
    _ct_union = False

    def __new__(mcls, name, bases, ns, **kw):
        cls = type.__new__(mcls, name, bases, ns, **kw)
        type.__setattr__(cls, '_ct_ready_', True)
        if ns.get('_abstract_'):
            return cls
        if '_fields_' in ns:
            setattr(cls, '_fields_', ns['_fields_'])
        else:
            base = None
            for b in bases:
                if _stg(b) is not None:
                    base = _stg(b)
                    break
            if base is not None:
                st = _StgInfo(base.kind, base.size, base.align, base.ffi)
                st.fields = base.fields
                st.has_pointer = base.has_pointer
                base.final = True
                type.__setattr__(cls, '_ct_stg_', st)
            elif cls.__dict__.get('_ct_base_') is None:
                st = _StgInfo('union' if mcls._ct_union else 'struct', 0, 1, ())
                type.__setattr__(cls, '_ct_stg_', st)
        return cls

    def __setattr__(self, name, value):
        if name == '_fields_':
            if '_ct_ready_' not in self.__dict__:
                raise TypeError("ctypes state is not initialized")
            st = self.__dict__.get('_ct_stg_')
            if st is not None and st.final:
                raise AttributeError("_fields_ is final")
            _layout(self, value, type(self)._ct_union)
            type.__setattr__(self, name, value)
            _stg(self).final = True
            return
        type.__setattr__(self, name, value)


class UnionType(PyCStructType):
    _ct_union = True


class _StructBase(_CData):
    __slots__ = ()

    def __init__(self, *args, **kw):
        st = _stg(self)
        fields = st.fields or []
        if len(args) > len(fields):
            raise TypeError("too many initializers")
        for f, v in zip(fields, args):
            setattr(self, f.name, v)
        for k, v in kw.items():
            for f in fields[:len(args)]:
                if f.name == k:
                    raise TypeError("duplicate values for field %r" % k)
            setattr(self, k, v)


class Structure(_StructBase, metaclass=PyCStructType):
    """Structure base class"""
    __slots__ = ()
    _ct_base_ = True


class Union(_StructBase, metaclass=UnionType):
    """Union base class"""
    __slots__ = ()
    _ct_base_ = True




# ---------------------------------------------------------------- arrays

class PyCArrayType(_CDataType):
    def __new__(mcls, name, bases, ns, **kw):
        cls = type.__new__(mcls, name, bases, ns, **kw)
        if ns.get('_ct_base_'):
            return cls
        try:
            length = cls._length_
        except AttributeError:
            raise AttributeError("class must define a '_length_' attribute") from None
        if not isinstance(length, int):
            raise TypeError("The '_length_' attribute must be an integer")
        if length < 0:
            raise ValueError("The '_length_' attribute must not be negative")
        try:
            proto = cls._type_
        except AttributeError:
            raise AttributeError("class must define a '_type_' attribute") from None
        pst = _stg(proto) if isinstance(proto, type) else None
        if pst is None:
            raise TypeError("_type_ must have storage info")
        if pst.size and length > (1 << 62) // pst.size:
            raise OverflowError("array too large")
        st = _StgInfo('array', pst.size * length, pst.align, 'P')
        st.length = length
        st.proto = proto
        st.has_pointer = pst.has_pointer or pst.kind in ('pointer', 'funcptr')
        st.fmt = pst.fmt
        type.__setattr__(cls, '_ct_stg_', st)
        return cls


_array_cache = {}


def _caller_module(fallback=None):
    """The __name__ of the first caller outside this module (a C type made by
    _ctypes gets the module of the Python code that asked for it)."""
    try:
        f = _sys._getframe(1)
    except (AttributeError, ValueError):
        return None
    mine = globals()
    while f is not None and f.f_globals is mine:
        f = f.f_back
    if f is None:
        # Taipan does not link the frames of dunder methods run by operators.
        return getattr(fallback, '__module__', None)
    return f.f_globals.get('__name__')


def _array_type(itemtype, length):
    if not isinstance(length, int):
        raise TypeError("Expected a type object")
    if length < 0:
        raise ValueError("Array length must be >= 0, not %d" % length)
    key = (itemtype, length)
    try:
        return _array_cache[key]
    except KeyError:
        pass
    except TypeError:
        pass
    name = '%s_Array_%d' % (itemtype.__name__, length)
    cls = PyCArrayType(name, (Array,), {'_length_': length, '_type_': itemtype,
                                        '__module__': _caller_module(itemtype)})
    try:
        _array_cache[key] = cls
    except TypeError:
        pass
    return cls


class Array(_CData, metaclass=PyCArrayType):
    """XXX to be provided"""
    __slots__ = ()
    _ct_base_ = True

    def __init__(self, *args):
        st = _stg(self)
        if len(args) > st.length:
            raise IndexError("invalid index")
        for i, v in enumerate(args):
            self[i] = v

    def __len__(self):
        return _stg(self).length

    def _index(self, i):
        n = _stg(self).length
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError("invalid index")
        return i

    def __getitem__(self, key):
        st = _stg(self)
        if isinstance(key, slice):
            idx = range(*key.indices(st.length))
            pst = _stg(st.proto)
            items = [self[i] for i in idx]
            if pst.kind == 'simple' and pst.code == 'c':
                return b''.join(items)
            if pst.kind == 'simple' and pst.code == 'u':
                return ''.join(items)
            return items
        try:
            key = key.__index__()
        except AttributeError:
            raise TypeError("indices must be integers") from None
        i = self._index(key)
        size = _stg(st.proto).size
        return _elem_value(st.proto, self._b_addr + i * size, self, i)

    def __setitem__(self, key, value):
        st = _stg(self)
        if isinstance(key, slice):
            idx = range(*key.indices(st.length))
            if len(value) != len(idx):
                raise ValueError("Can only assign sequence of same size")
            for i, v in zip(idx, value):
                self[i] = v
            return
        try:
            key = key.__index__()
        except AttributeError:
            raise TypeError("indices must be integers") from None
        i = self._index(key)
        size = _stg(st.proto).size
        _store_at(st.proto, self._b_addr + i * size, value, self, i)

    def __delitem__(self, key):
        raise TypeError("Array does not support item deletion")

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    __class_getitem__ = classmethod(type(list[int]))


def _elem_value(typ, addr, base, index):
    st = _stg(typ)
    if st.kind == 'simple' and typ.__bases__[0] is _SimpleCData:
        return _get_code(st.code, addr, st.swapped)
    return _new_instance(typ, addr, base, None, index)


def _no_delete(self):
    raise TypeError("can't delete attribute")


def _char_array_value(self):
    st = _stg(self)
    data = _read(self._b_addr, st.length)
    i = data.find(b'\0')
    return data if i < 0 else data[:i]


def _char_array_set_value(self, value):
    st = _stg(self)
    if not isinstance(value, bytes):
        raise TypeError("bytes expected instead of %s instance" % type(value).__name__)
    if len(value) > st.length:
        raise ValueError("byte string too long")
    _write(self._b_addr, value + (b'\0' if len(value) < st.length else b''))


def _char_array_raw(self):
    return _read(self._b_addr, _stg(self).length)


def _char_array_set_raw(self, value):
    st = _stg(self)
    value = bytes(memoryview(value))
    if len(value) > st.length:
        raise ValueError("byte string too long")
    _write(self._b_addr, value)


def _wchar_array_value(self):
    st = _stg(self)
    s = _wstr_read(self._b_addr, st.length)
    i = s.find('\0')
    return s if i < 0 else s[:i]


def _wchar_array_set_value(self, value):
    st = _stg(self)
    if not isinstance(value, str):
        raise TypeError("unicode string expected instead of %s instance" % type(value).__name__)
    if len(value) > st.length:
        raise ValueError("string too long")
    _write(self._b_addr, _wstr_bytes(value) + (bytes(4) if len(value) < st.length else b''))


_orig_array_new = PyCArrayType.__new__


def _array_new_with_props(mcls, name, bases, ns, **kw):
    cls = _orig_array_new(mcls, name, bases, ns, **kw)
    st = _stg(cls)
    if st is not None and st.kind == 'array':
        pst = _stg(st.proto)
        if pst.kind == 'simple' and pst.code == 'c':
            type.__setattr__(cls, 'value', property(_char_array_value, _char_array_set_value,
                                                    _no_delete))
            type.__setattr__(cls, 'raw', property(_char_array_raw, _char_array_set_raw))
        elif pst.kind == 'simple' and pst.code == 'u':
            type.__setattr__(cls, 'value', property(_wchar_array_value, _wchar_array_set_value,
                                                    _no_delete))
    return cls


PyCArrayType.__new__ = _array_new_with_props


# ---------------------------------------------------------------- pointers

class PyCPointerType(_CDataType):
    def __new__(mcls, name, bases, ns, **kw):
        cls = type.__new__(mcls, name, bases, ns, **kw)
        if ns.get('_ct_base_'):
            return cls
        st = _StgInfo('pointer', 8, 8, 'P')
        st.has_pointer = True
        proto = ns.get('_type_')
        if proto is not None:
            if not isinstance(proto, type) or _stg(proto) is None:
                raise TypeError("_type_ must have storage info")
            st.proto = proto
        type.__setattr__(cls, '_ct_stg_', st)
        return cls

    def set_type(self, typ):
        if not isinstance(typ, type) or _stg(typ) is None:
            raise TypeError("_type_ must have storage info")
        _stg(self).proto = typ
        type.__setattr__(self, '_type_', typ)

    def from_param(self, value):
        st = _stg(self)
        if st is None:
            raise TypeError("abstract class")
        if value is None:
            return None
        if isinstance(value, self):
            return value
        if isinstance(value, _CArgObject) and value._obj is not None and \
                st.proto is not None and isinstance(value._obj, st.proto):
            return value
        if isinstance(value, (_Pointer, Array)) and st.proto is not None:
            vst = _stg(value)
            if vst.proto is not None and issubclass(vst.proto, st.proto):
                return value
        if st.proto is not None and isinstance(value, st.proto):
            return byref(value)
        as_param = getattr(value, '_as_parameter_', _MISSING)
        if as_param is not _MISSING:
            return self.from_param(as_param)
        raise TypeError("expected %s instance instead of %s"
                        % (self.__name__, type(value).__name__))


class _Pointer(_CData, metaclass=PyCPointerType):
    """XXX to be provided"""
    __slots__ = ()
    _ct_base_ = True

    def __init__(self, *args):
        if len(args) > 1:
            raise TypeError("expected at most 1 argument")
        if args:
            self.contents = args[0]

    def _target(self):
        return int.from_bytes(_read(self._b_addr, 8), 'little')

    @property
    def contents(self):
        p = self._target()
        if not p:
            raise ValueError("NULL pointer access")
        proto = _stg(self).proto
        return _new_instance(proto, p, self, None, 1)

    @contents.setter
    def contents(self, value):
        st = _stg(self)
        if value is None:
            raise TypeError("Pointer does not support item deletion")
        if st.proto is None or not isinstance(value, st.proto):
            raise TypeError("expected %s instead of %s"
                            % (st.proto.__name__ if st.proto else '?', type(value).__name__))
        _write(self._b_addr, value._b_addr.to_bytes(8, 'little'))
        _keep(self, 1, value)
        _keep(self, 0, _kept_objects(value))

    def __bool__(self):
        return self._target() != 0

    def __getitem__(self, key):
        st = _stg(self)
        if st.proto is None:
            raise TypeError("Pointer type has no _type_")
        size = _stg(st.proto).size
        if isinstance(key, slice):
            step = 1 if key.step is None else key.step.__index__()
            if step == 0:
                raise ValueError("slice step cannot be zero")
            if key.start is None and step < 0:
                raise ValueError("slice start is required for step < 0")
            if key.stop is None:
                raise ValueError("slice stop is required")
            start = 0 if key.start is None else key.start.__index__()
            items = [self[i] for i in range(start, key.stop, step)]
            pst = _stg(st.proto)
            if pst.kind == 'simple' and pst.code == 'c':
                return b''.join(items)
            if pst.kind == 'simple' and pst.code == 'u':
                return ''.join(items)
            return items
        try:
            i = key.__index__()
        except AttributeError:
            raise TypeError("Pointer indices must be integer") from None
        p = self._target()
        if not p:
            raise ValueError("NULL pointer access")
        return _elem_value(st.proto, p + i * size, self, i)

    def __setitem__(self, key, value):
        st = _stg(self)
        if st.proto is None:
            raise TypeError("Pointer type has no _type_")
        size = _stg(st.proto).size
        try:
            i = key.__index__()
        except AttributeError:
            raise TypeError("Pointer indices must be integer") from None
        p = self._target()
        if not p:
            raise ValueError("NULL pointer access")
        _store_at(st.proto, p + i * size, value, self, i)

    def __delitem__(self, key):
        raise TypeError("Pointer does not support item deletion")


_pointer_type_cache = {}


def POINTER(cls):
    try:
        return _pointer_type_cache[cls]
    except KeyError:
        pass
    except TypeError:
        raise TypeError("must be a ctypes type") from None
    if isinstance(cls, str):
        p = PyCPointerType('LP_%s' % cls, (_Pointer,), {'__module__': _caller_module()})
        _pointer_type_cache[id(p)] = p
        return p
    if not isinstance(cls, type):
        raise TypeError("must be a ctypes type")
    p = PyCPointerType('LP_%s' % cls.__name__, (_Pointer,),
                       {'_type_': cls, '__module__': _caller_module()})
    _pointer_type_cache[cls] = p
    return p


def pointer(obj):
    if not isinstance(obj, _CData):
        raise TypeError("_type_ must have storage info")
    return POINTER(type(obj))(obj)


# ---------------------------------------------------------------- byref & co

class _CArgObject:
    __slots__ = ('_code', '_addr', '_keep', '_value', '_inst')

    def __repr__(self):
        code = self._code
        if code == 'P':
            return "<cparam 'P' (%#x)>" % self._addr
        v = self._value
        if code in _INT_CODES:
            return "<cparam '%s' (%d)>" % (code, v)
        if code in 'df':
            return "<cparam '%s' (%r)>" % (code, v)
        if code == 'c':
            ch = v[0]
            if 32 <= ch < 127:
                return "<cparam 'c' ('%c')>" % ch
            return "<cparam 'c' ('\\x%02x')>" % ch
        if code in 'zZ':
            return "<cparam '%s' (%#x)>" % (code, self._addr)
        return "<cparam '%s' at %#x>" % (code, id(self))

    @property
    def _obj(self):
        return self._keep


CArgObject = _CArgObject


def byref(obj, offset=0):
    if not isinstance(obj, _CData):
        raise TypeError("byref() argument must be a ctypes instance, not '%s'"
                        % type(obj).__name__)
    a = object.__new__(_CArgObject)
    a._code = 'P'
    a._addr = obj._b_addr + offset
    a._keep = obj
    a._value = None
    a._inst = None
    return a


def _carg(inst, keep=None):
    """A parameter object passing inst by value."""
    a = object.__new__(_CArgObject)
    st = _stg(inst)
    a._code = st.code
    a._inst = inst
    a._keep = keep
    a._value = inst.value if st.code not in 'zZP' else None
    a._addr = int.from_bytes(_read(inst._b_addr, 8), 'little') if st.code in 'zZP' else inst._b_addr
    return a


def addressof(obj):
    if not isinstance(obj, _CData):
        raise TypeError("invalid type")
    return obj._b_addr


def sizeof(obj):
    if isinstance(obj, _CData):
        return obj._b_size
    st = _stg(obj)
    if st is None:
        raise TypeError("this type has no size")
    return st.size


def alignment(obj):
    st = _stg(obj)
    if st is None:
        raise TypeError("no alignment info")
    return st.align


def resize(obj, size):
    if not isinstance(obj, _CData):
        raise TypeError("excepted ctypes instance")
    st = _stg(obj)
    if size < st.size:
        raise ValueError("minimum size is %d" % st.size)
    if obj._b_mem is None:
        raise ValueError("Memory cannot be resized because this object doesn't own it")
    old = obj._b_mem
    m = _Mem(size)
    _memmove_raw(m.addr, old.addr, min(old.size, size))
    obj._b_mem = m
    obj._b_addr = m.addr
    obj._b_size = size


def dlopen(name, mode=RTLD_LOCAL):
    if name is not None and not isinstance(name, (str, bytes)):
        name = _sys.modules['os'].fsdecode(name) if hasattr(name, '__fspath__') else name
    try:
        return _dlopen_raw(name, mode | _RTLD_NOW)
    except OSError as e:
        raise OSError(str(e)) from None


def dlclose(handle):
    _dlclose_raw(handle)


def dlsym(handle, name):
    try:
        return _dlsym_raw(handle, name)
    except OSError as e:
        raise OSError(str(e)) from None


def buffer_info(obj):
    st = _stg(obj)
    if st is None:
        raise TypeError("not a ctypes type or object")
    return (st.code or '', 0, ())


def _void_p_value(obj):
    """The address an argument converted to void* stands for."""
    if obj is None:
        return 0
    if isinstance(obj, int):
        return obj & 0xFFFFFFFFFFFFFFFF
    if isinstance(obj, _CArgObject):
        return obj._addr
    if isinstance(obj, (Array,)):
        return obj._b_addr
    if isinstance(obj, (_Pointer, CFuncPtr)):
        return int.from_bytes(_read(obj._b_addr, 8), 'little')
    if isinstance(obj, _SimpleCData):
        st = _stg(obj)
        if st.code in 'zZPX':
            return int.from_bytes(_read(obj._b_addr, 8), 'little')
        return obj._b_addr
    if isinstance(obj, _CData):
        return obj._b_addr
    as_param = getattr(obj, '_as_parameter_', _MISSING)
    if as_param is not _MISSING:
        return _void_p_value(as_param)
    raise TypeError("wrong type")


def _do_cast(obj, src, typ):
    if not (isinstance(typ, type) and (issubclass(typ, (_Pointer, CFuncPtr)) or
            (issubclass(typ, _SimpleCData) and _stg(typ) and _stg(typ).code in 'zZP'))):
        raise TypeError("cast() argument 2 must be a pointer type, not %s"
                        % (typ.__name__ if isinstance(typ, type) else type(typ).__name__))
    if isinstance(obj, bytes):
        keep = c_char_p_type()(obj)
        addr = _void_p_value(keep)
    else:
        keep = None
        addr = _void_p_value(obj)
    result = _own(typ)
    _write(result._b_addr, addr.to_bytes(8, 'little'))
    if isinstance(src, _CData):
        objs = _container(src)._b_objs
        if not isinstance(objs, dict):
            objs = {}
        result._b_objs = objs
        objs[id(src)] = src
    elif keep is not None:
        result._b_objs = {id(keep): keep}
    return result


def _do_string_at(ptr, size=-1):
    addr = _void_p_value(ptr)
    if size == -1:
        size = _strlen(addr)
    return _read(addr, size)


def _do_wstring_at(ptr, size=-1):
    addr = _void_p_value(ptr)
    if size == -1:
        size = _wcslen(addr)
    return _wstr_read(addr, size)


_special_mem = _Mem(4)
_cast_addr = _special_mem.addr
_string_at_addr = _special_mem.addr + 1
_wstring_at_addr = _special_mem.addr + 2
_SPECIAL = {
    _cast_addr: _do_cast,
    _string_at_addr: _do_string_at,
    _wstring_at_addr: _do_wstring_at,
}
_memmove_addr = _dlsym_raw(0, 'memmove')
_memset_addr = _dlsym_raw(0, 'memset')


# ---------------------------------------------------------------- functions

class PyCFuncPtrType(_CDataType):
    def __new__(mcls, name, bases, ns, **kw):
        cls = type.__new__(mcls, name, bases, ns, **kw)
        if ns.get('_ct_base_'):
            return cls
        st = _StgInfo('funcptr', 8, 8, 'P')
        st.has_pointer = True
        argtypes = getattr(cls, '_argtypes_', None)
        if argtypes is not None:
            argtypes = tuple(argtypes)
            if len(argtypes) > CTYPES_MAX_ARGCOUNT:
                raise ArgumentError("_argtypes_ has too many arguments (%d), maximum is %d"
                                    % (len(argtypes), CTYPES_MAX_ARGCOUNT))
            for i, t in enumerate(argtypes):
                if not hasattr(t, 'from_param'):
                    raise TypeError("item %d in _argtypes_ has no from_param method" % (i + 1))
        st.argtypes = argtypes
        st.restype = getattr(cls, '_restype_', None)
        flags = getattr(cls, '_flags_', None)
        if flags is None:
            raise TypeError("class must define _flags_ which must be an integer")
        st.flags = flags
        type.__setattr__(cls, '_ct_stg_', st)
        return cls


def _ffi_code_of(t):
    """The libffi description of an argument or result type."""
    st = _stg(t)
    if st is None:
        return 'P'
    if st.kind == 'simple':
        return st.code
    if st.kind in ('struct', 'union'):
        return st.ffi if st.ffi else ('B',)
    return 'P'


def _unraisable(msg, obj):
    exc_type, exc_value, tb = _sys.exc_info()
    hook = getattr(_sys, 'unraisablehook', None)

    class UnraisableHookArgs:
        pass
    args = UnraisableHookArgs()
    args.exc_type = exc_type
    args.exc_value = exc_value
    args.exc_traceback = tb
    args.err_msg = msg
    args.object = obj
    if hook is not None and hook is not getattr(_sys, '__unraisablehook__', None):
        try:
            hook(args)
            return
        except BaseException:
            pass
    try:
        import traceback
        _sys.stderr.write('%s: %r\n' % (msg, obj))
        traceback.print_exception(exc_type, exc_value, tb, file=_sys.stderr)
    except BaseException:
        pass


class _Thunk:
    __slots__ = ('handle', 'addr', 'func', '__weakref__')

    def __del__(self):
        h = self.handle
        if h:
            self.handle = 0
            _thunk_free(h)


def _make_callback(functype, func):
    st = _stg(functype)
    argtypes = st.argtypes or ()
    restype = st.restype
    for t in argtypes:
        if _stg(t) is None:
            raise TypeError("invalid argument type")
    if restype is not None and (_stg(restype) is None or _stg(restype).kind != 'simple'):
        raise TypeError("invalid result type for callback function")
    rst = _stg(restype) if restype is not None else None

    def trampoline(resaddr, argaddrs):
        try:
            args = []
            for t, a in zip(argtypes, argaddrs):
                ast = _stg(t)
                if ast.kind == 'simple' and t.__bases__[0] is _SimpleCData:
                    args.append(_get_code(ast.code, a, ast.swapped))
                else:
                    inst = _own(t)
                    _memmove_raw(inst._b_addr, a, ast.size)
                    args.append(inst)
            result = func(*args)
        except BaseException:
            _unraisable("Exception ignored on calling ctypes callback function", func)
            return
        try:
            if rst is not None:
                if rst.kind == 'simple':
                    if isinstance(result, _SimpleCData):
                        result = result.value
                    keep = _set_code(rst.code, resaddr, result, rst.swapped)
                    if rst.code == 'O' and keep is not None:
                        pass
                elif isinstance(result, _CData):
                    _memmove_raw(resaddr, result._b_addr, rst.size)
        except BaseException:
            _unraisable("Exception ignored on converting result of ctypes callback function",
                        func)

    t = _Thunk()
    t.handle, t.addr = _thunk(_weakref_ref(trampoline), [_ffi_code_of(a) for a in argtypes],
                              _ffi_code_of(restype) if restype is not None else '0',
                              bool(st.flags & FUNCFLAG_USE_ERRNO))
    t.func = trampoline
    return t


class CFuncPtr(_CData, metaclass=PyCFuncPtrType):
    """Function Pointer"""
    __slots__ = ()
    _ct_base_ = True

    def __new__(cls, *args, **kw):
        if _stg(cls) is None:
            raise TypeError("abstract class")
        self = _own(cls)
        self._b_objs = None
        st = _stg(cls)
        if not args:
            return self
        a0 = args[0]
        if isinstance(a0, int) and len(args) == 1:
            _write(self._b_addr, (a0 & 0xFFFFFFFFFFFFFFFF).to_bytes(8, 'little'))
            return self
        if isinstance(a0, tuple):
            if len(a0) < 2:
                raise TypeError("argument must be callable or integer function address")
            name, dll = a0[0], a0[1]
            handle = getattr(dll, '_handle', None)
            if not isinstance(handle, int):
                raise TypeError("the _handle attribute of the second argument must be an integer")
            if isinstance(name, int):
                raise AttributeError("function ordinal %d not found" % name)
            try:
                addr = _dlsym_raw(handle, name)
            except OSError as e:
                raise AttributeError(str(e)) from None
            _write(self._b_addr, addr.to_bytes(8, 'little'))
            self.__dict__['_ct_name'] = name
            _keep(self, 0, dll)
            if len(args) > 1:
                self.__dict__['_ct_paramflags'] = _check_paramflags(st, args[1])
            return self
        if callable(a0):
            if st.argtypes is None and False:
                raise TypeError("cannot construct instance of this class: no argtypes")
            thunk = _make_callback(cls, a0)
            _write(self._b_addr, thunk.addr.to_bytes(8, 'little'))
            self.__dict__['_ct_callable'] = a0
            _keep(self, 0, thunk)
            return self
        raise TypeError("argument must be callable or integer function address")

    def __init__(self, *args, **kw):
        pass

    def __repr__(self):
        return '<%s object at %#x>' % (type(self).__name__, id(self))

    def __bool__(self):
        return int.from_bytes(_read(self._b_addr, 8), 'little') != 0

    @property
    def argtypes(self):
        d = self.__dict__
        if '_ct_argtypes' in d:
            return d['_ct_argtypes']
        return _stg(self).argtypes

    @argtypes.setter
    def argtypes(self, value):
        if value is None:
            self.__dict__['_ct_argtypes'] = None
            return
        if not isinstance(value, (tuple, list)):
            raise TypeError("_argtypes_ must be a sequence of types")
        value = tuple(value)
        for i, t in enumerate(value):
            if not hasattr(t, 'from_param'):
                raise TypeError("item %d in _argtypes_ has no from_param method" % (i + 1))
        self.__dict__['_ct_argtypes'] = value

    @argtypes.deleter
    def argtypes(self):
        self.__dict__['_ct_argtypes'] = None

    @property
    def restype(self):
        d = self.__dict__
        if '_ct_restype' in d:
            return d['_ct_restype']
        st = _stg(self)
        if st.restype is not None or '_restype_' in _class_attrs(type(self)):
            return st.restype
        return _default_restype()

    @restype.setter
    def restype(self, value):
        if value is not None and _stg(value) is None and not callable(value):
            raise TypeError("restype must be a type, a callable, or None")
        self.__dict__['_ct_restype'] = value

    @restype.deleter
    def restype(self):
        self.__dict__['_ct_restype'] = _default_restype()

    @property
    def errcheck(self):
        return self.__dict__.get('_ct_errcheck')

    @errcheck.setter
    def errcheck(self, value):
        if not callable(value):
            raise TypeError("the errcheck attribute must be callable")
        self.__dict__['_ct_errcheck'] = value

    @errcheck.deleter
    def errcheck(self):
        self.__dict__['_ct_errcheck'] = None

    def __call__(self, *args, **kw):
        addr = int.from_bytes(_read(self._b_addr, 8), 'little')
        special = _SPECIAL.get(addr)
        if special is not None:
            return special(*args)
        paramflags = self.__dict__.get('_ct_paramflags')
        outs = None
        if paramflags is not None:
            args, outs = _bind_params(self, paramflags, args, kw)
        elif kw:
            raise TypeError("this function takes no keyword arguments")
        cb = self.__dict__.get('_ct_callable')
        argtypes = self.argtypes
        restype = self.restype
        st = _stg(self)
        if len(args) > CTYPES_MAX_ARGCOUNT:
            raise ArgumentError("too many arguments (%d), maximum is %d"
                                % (len(args), CTYPES_MAX_ARGCOUNT))
        if argtypes is not None:
            if len(args) < len(argtypes):
                raise TypeError("this function takes at least %d argument%s (%d given)"
                                % (len(argtypes), '' if len(argtypes) == 1 else 's', len(args)))
        if not addr:
            raise ValueError("NULL pointer access")
        specs = []
        addrs = []
        keep = []
        for i, a in enumerate(args):
            try:
                if argtypes is not None and i < len(argtypes):
                    a = argtypes[i].from_param(a)
                spec, aaddr, k = _convert_arg(a, i + 1)
            except ArgumentError:
                raise
            except Exception as e:
                raise ArgumentError("argument %d: %s: %s" % (i + 1, type(e).__name__, e)) from None
            specs.append(spec)
            addrs.append(aaddr)
            keep.append(k)
        nfixed = None
        if argtypes is not None and len(args) > len(argtypes):
            nfixed = len(argtypes)
        if restype is None:
            rspec = '0'
            rsize = 8
        elif _stg(restype) is not None:
            rspec = _ffi_code_of(restype)
            rsize = max(_stg(restype).size, 8)
        else:
            rspec = 'i'
            rsize = 8
        res = _Mem(rsize)
        _ffi_call(addr, specs, addrs, rspec, res.addr, nfixed,
                  bool(st.flags & FUNCFLAG_USE_ERRNO))
        result = _convert_result(restype, res)
        errcheck = self.errcheck
        if errcheck is not None:
            result = errcheck(result, self, args)
            if outs is None or result is not args:
                return result
        if outs:
            values = []
            for o in outs:
                v = o.__ctypes_from_outparam__() if hasattr(o, '__ctypes_from_outparam__') else o
                values.append(v)
            return values[0] if len(values) == 1 else tuple(values)
        return result


def _check_paramflags(st, paramflags):
    if paramflags is None:
        return None
    if not isinstance(paramflags, tuple):
        raise TypeError("paramflags must be a tuple or None")
    argtypes = st.argtypes
    if argtypes is None or len(paramflags) != len(argtypes):
        raise ValueError("paramflags must have the same length as argtypes")
    for item in paramflags:
        if not isinstance(item, tuple) or not item or not isinstance(item[0], int) \
                or (len(item) > 1 and item[1] is not None and not isinstance(item[1], str)):
            raise TypeError("paramflags must be a sequence of (int [,string [,value]]) tuples")
    return paramflags


def _bind_params(func, paramflags, args, kw):
    """Positional arguments for the C call and the output parameters."""
    argtypes = func.argtypes or ()
    out_args = []
    outs = []
    pos = 0
    for i, item in enumerate(paramflags):
        flag = item[0] & 3
        name = item[1] if len(item) > 1 else None
        if flag in (0, 1, 3) and flag != 2:
            if pos < len(args):
                out_args.append(args[pos])
                pos += 1
            elif name is not None and name in kw:
                out_args.append(kw.pop(name))
            elif len(item) > 2:
                out_args.append(item[2])
            else:
                raise TypeError("required argument '%s' missing" % name if name
                                else "not enough arguments")
        else:
            t = argtypes[i]
            pst = _stg(t)
            inst = pst.proto() if pst is not None and pst.proto is not None else t()
            if len(item) > 2:
                inst = item[2]
            outs.append(inst)
            out_args.append(byref(inst) if isinstance(inst, _CData) else inst)
    out_args.extend(args[pos:])
    if kw:
        raise TypeError("call takes no keyword argument '%s'" % next(iter(kw)))
    return tuple(out_args), outs


def _class_attrs(cls):
    d = {}
    for c in reversed(cls.__mro__):
        d.update(c.__dict__)
    return d


def _default_restype():
    return _simple_cls('i')


def _convert_result(restype, res):
    if restype is None:
        return None
    st = _stg(restype)
    if st is None:
        v = int.from_bytes(_read(res.addr, 4), 'little', signed=True)
        return restype(v)
    if st.kind == 'simple' and restype.__bases__[0] is _SimpleCData:
        if st.code == 'O':
            p = int.from_bytes(_read(res.addr, 8), 'little')
            return _pyobjects.get(p)
        return _get_code(st.code, res.addr, st.swapped)
    inst = _own(restype)
    _memmove_raw(inst._b_addr, res.addr, st.size)
    check = getattr(restype, '_check_retval_', None)
    if check is not None:
        return check(inst)
    return inst


def _convert_arg(a, n):
    """(libffi type, address of the value, what to keep alive) for one argument."""
    if a is None:
        m = _Mem(8)
        return 'P', m.addr, m
    if isinstance(a, _CArgObject) and a._inst is not None:
        return _convert_arg(a._inst, n)
    if isinstance(a, _CArgObject):
        m = _Mem(8)
        _write(m.addr, a._addr.to_bytes(8, 'little'))
        return 'P', m.addr, (m, a)
    if isinstance(a, bool) or isinstance(a, int):
        v = int(a)
        if not -(1 << 31) <= v < (1 << 32):
            raise ArgumentError("argument %d: OverflowError: int too long to convert" % n)
        m = _Mem(8)
        _write(m.addr, (v & 0xFFFFFFFF).to_bytes(4, 'little'))
        return 'i', m.addr, m
    if isinstance(a, bytes):
        buf = _buffer_from_bytes(a + b'\0')
        m = _Mem(8)
        _write(m.addr, buf.addr.to_bytes(8, 'little'))
        return 'P', m.addr, (m, buf)
    if isinstance(a, str):
        buf = _buffer_from_bytes(_wstr_bytes(a) + bytes(4))
        m = _Mem(8)
        _write(m.addr, buf.addr.to_bytes(8, 'little'))
        return 'P', m.addr, (m, buf)
    if isinstance(a, _CData):
        st = _stg(a)
        if st.kind == 'array':
            m = _Mem(8)
            _write(m.addr, a._b_addr.to_bytes(8, 'little'))
            return 'P', m.addr, (m, a)
        if st.kind in ('struct', 'union'):
            return _ffi_code_of(type(a)), a._b_addr, a
        if st.kind == 'simple':
            return st.code, a._b_addr, a
        return 'P', a._b_addr, a
    as_param = getattr(a, '_as_parameter_', _MISSING)
    if as_param is not _MISSING:
        return _convert_arg(as_param, n)
    raise ArgumentError("argument %d: TypeError: Don't know how to convert parameter %d" % (n, n))


def call_function(addr, args):
    class F(CFuncPtr):
        _flags_ = FUNCFLAG_CDECL
        _restype_ = _default_restype()
    return F(addr)(*args)


call_cdeclfunction = call_function


def PyObj_FromPtr(addr):
    try:
        return _pyobjects[addr]
    except KeyError:
        raise ValueError("PyObject is NULL") from None


def Py_INCREF(obj):
    _pyobjects[id(obj)] = obj
    return obj


def Py_DECREF(obj):
    return obj


for _c in (PyCSimpleType, PyCStructType, UnionType, PyCArrayType, PyCPointerType,
           PyCFuncPtrType, _CData, Structure, Union, Array, _Pointer, CFuncPtr,
           CField, _CArgObject):
    type.__setattr__(_c, '__module__', '_ctypes')
_CArgObject.__name__ = 'CArgObject'
_CArgObject.__qualname__ = 'CArgObject'

del _c
for _n in [n for n in globals() if n.startswith('_rt_')]:
    del globals()[_n]
del _n
