//! `lib_ctypes_test.so`: the C functions and variables that CPython's
//! `test_ctypes` calls through `CDLL(_ctypes_test.__file__)` (CPython
//! builds them as its `_ctypes_test` extension). Written from the tests'
//! expectations: each function does the small computation the tests
//! check (`tf_*` divide by three and record their last argument,
//! callbacks are called back in the documented pattern, structures are
//! passed and returned by value).
//!
//! # Safety
//!
//! These are `extern "C"` functions called by foreign code with C
//! semantics: pointer arguments are trusted to be valid for the access the
//! function's contract states (NUL-terminated strings, arrays of the
//! stated length, writable out-parameters); null is checked where the
//! tests pass it. The exported `static mut` variables are read and written
//! only by single-threaded test code (through these functions or
//! `in_dll`), never concurrently.

#![allow(non_upper_case_globals, clippy::missing_safety_doc, non_snake_case)]

use std::ffi::{c_char, c_void};

#[no_mangle]
pub static mut last_tf_arg_s: i64 = 0;
#[no_mangle]
pub static mut last_tf_arg_u: u64 = 0;
#[no_mangle]
pub static mut an_integer: i32 = 42;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct Pair {
    first: u32,
    second: u32,
}

#[no_mangle]
pub static mut last_tfrsuv_arg: Pair = Pair { first: 0, second: 0 };

fn record_s(v: i64) {
    // SAFETY: single-threaded test use (module invariant).
    unsafe { last_tf_arg_s = v }
}

fn record_u(v: u64) {
    // SAFETY: single-threaded test use (module invariant).
    unsafe { last_tf_arg_u = v }
}

/// `tf_X(c)` and `tf_bX(x, c)`: record `c` (with `$record`, as `$wide`)
/// and return `c / 3`.
macro_rules! tf_pair {
    ($one:ident, $two:ident, $t:ty, $record:ident, $wide:ty) => {
        #[no_mangle]
        pub extern "C" fn $one(c: $t) -> $t {
            $record(c as $wide);
            c / (3 as $t)
        }
        #[no_mangle]
        pub extern "C" fn $two(_x: i8, c: $t) -> $t {
            $record(c as $wide);
            c / (3 as $t)
        }
    };
}

macro_rules! tf_signed {
    ($one:ident, $two:ident, $t:ty) => {
        tf_pair!($one, $two, $t, record_s, i64);
    };
}

macro_rules! tf_unsigned {
    ($one:ident, $two:ident, $t:ty) => {
        tf_pair!($one, $two, $t, record_u, u64);
    };
}

tf_signed!(tf_b, tf_bb, i8);
tf_signed!(tf_h, tf_bh, i16);
tf_signed!(tf_i, tf_bi, i32);
tf_signed!(tf_l, tf_bl, i64);
tf_signed!(tf_q, tf_bq, i64);
tf_signed!(tf_f, tf_bf, f32);
tf_signed!(tf_d, tf_bd, f64);
tf_unsigned!(tf_B, tf_bB, u8);
tf_unsigned!(tf_H, tf_bH, u16);
tf_unsigned!(tf_I, tf_bI, u32);
tf_unsigned!(tf_L, tf_bL, u64);
tf_unsigned!(tf_Q, tf_bQ, u64);

#[no_mangle]
pub extern "C" fn tv_i(c: i32) {
    record_s(c as i64);
}

#[no_mangle]
pub extern "C" fn _testfunc_i_bhilfd(b: i8, h: i16, i: i32, l: i64, f: f32, d: f64) -> i32 {
    (b as f64 + h as f64 + i as f64 + l as f64 + f as f64 + d) as i32
}

#[no_mangle]
pub extern "C" fn _testfunc_f_bhilfd(b: i8, h: i16, i: i32, l: i64, f: f32, d: f64) -> f32 {
    (b as f64 + h as f64 + i as f64 + l as f64 + f as f64 + d) as f32
}

#[no_mangle]
pub extern "C" fn _testfunc_d_bhilfd(b: i8, h: i16, i: i32, l: i64, f: f32, d: f64) -> f64 {
    b as f64 + h as f64 + i as f64 + l as f64 + f as f64 + d
}

#[no_mangle]
pub extern "C" fn _testfunc_q_bhilfd(b: i8, h: i16, i: i32, l: i64, f: f32, d: f64) -> i64 {
    (b as f64 + h as f64 + i as f64 + l as f64 + f as f64 + d) as i64
}

#[no_mangle]
pub extern "C" fn _testfunc_q_bhilfdq(b: i8, h: i16, i: i32, l: i64, f: f32, d: f64, q: i64) -> i64 {
    (b as f64 + h as f64 + i as f64 + l as f64 + f as f64 + d) as i64 + q
}

#[no_mangle]
pub unsafe extern "C" fn _testfunc_v(a: i32, b: i32, presult: *mut i32) {
    if !presult.is_null() {
        // SAFETY: a writable int (module invariant).
        unsafe { *presult = a + b }
    }
}

/// Calls `f` with `value`, `value / 2`, ... down to zero; the sum of the results.
#[no_mangle]
pub extern "C" fn _testfunc_callback_i_if(mut value: i32, f: extern "C" fn(i32) -> i32) -> i32 {
    let mut sum = 0i32;
    while value != 0 {
        sum = sum.wrapping_add(f(value));
        value /= 2;
    }
    sum
}

#[no_mangle]
pub extern "C" fn _testfunc_callback_q_qf(mut value: i64, f: extern "C" fn(i64) -> i64) -> i64 {
    let mut sum = 0i64;
    while value != 0 {
        sum = sum.wrapping_add(f(value));
        value /= 2;
    }
    sum
}

static CALLBACK_TABLE: [i32; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

#[no_mangle]
pub extern "C" fn _testfunc_callback_with_pointer(f: extern "C" fn(*const i32) -> i32) -> i32 {
    f(CALLBACK_TABLE.as_ptr())
}

#[no_mangle]
pub extern "C" fn _testfunc_p_p(p: *mut c_void) -> *mut c_void {
    p
}

/// `argv[*argcp - 1]`.
#[no_mangle]
pub unsafe extern "C" fn _testfunc_c_p_p(argcp: *const i32, argv: *const *mut c_char) -> *mut c_char {
    if argcp.is_null() || argv.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: argv holds *argcp pointers (module invariant).
    unsafe {
        let n = *argcp;
        if n < 1 {
            return std::ptr::null_mut();
        }
        *argv.add(n as usize - 1)
    }
}

#[no_mangle]
pub extern "C" fn _testfunc_ai8(a: *mut i32) -> *mut i32 {
    a
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct Point {
    x: i32,
    y: i32,
}

/// Copies `inp` to `*pout`; returns `x + y`.
#[no_mangle]
pub unsafe extern "C" fn _testfunc_byval(inp: Point, pout: *mut Point) -> i32 {
    if !pout.is_null() {
        // SAFETY: a writable point (module invariant).
        unsafe { *pout = inp }
    }
    inp.x + inp.y
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct S2H {
    x: i16,
    y: i16,
}

#[no_mangle]
pub extern "C" fn ret_2h_func(s: S2H) -> S2H {
    S2H { x: s.x.wrapping_mul(2), y: s.y.wrapping_mul(3) }
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct S8I {
    v: [i32; 8],
}

#[no_mangle]
pub extern "C" fn ret_8i_func(s: S8I) -> S8I {
    let mut r = s;
    for (i, x) in r.v.iter_mut().enumerate() {
        *x = x.wrapping_mul(i as i32 + 2);
    }
    r
}

#[no_mangle]
pub extern "C" fn _testfunc_cbk_reg_int(a: i32, b: i32, c: i32, d: i32, e: i32, f: extern "C" fn(i32, i32, i32, i32, i32) -> i32) -> i32 {
    f(a * a, b * b, c * c, d * d, e * e)
}

#[no_mangle]
pub extern "C" fn _testfunc_cbk_reg_double(
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    e: f64,
    f: extern "C" fn(f64, f64, f64, f64, f64) -> f64,
) -> f64 {
    f(a * a, b * b, c * c, d * d, e * e)
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct Large {
    first: u64,
    second: u64,
    third: u64,
}

#[no_mangle]
pub extern "C" fn _testfunc_cbk_large_struct(s: Large, f: extern "C" fn(Large)) {
    f(s)
}

/// Changes its own copy of the argument only.
#[no_mangle]
pub extern "C" fn _testfunc_large_struct_update_value(mut s: Large) {
    s.first = 0x0badf00d;
    s.second = 0x0badf00d;
    s.third = 0x0badf00d;
    std::hint::black_box(&mut s);
}

#[no_mangle]
pub extern "C" fn _testfunc_reg_struct_update_value(mut s: Pair) {
    // SAFETY: single-threaded test use (module invariant).
    unsafe { last_tfrsuv_arg = s };
    s.first = 0x0badf00d;
    s.second = 0x0badf00d;
    std::hint::black_box(&mut s);
}

#[repr(C)]
pub struct Bytes16 {
    data: [u8; 16],
}

#[no_mangle]
pub extern "C" fn _testfunc_array_in_struct1(s: Bytes16) -> i32 {
    s.data.iter().map(|&b| b as i32).sum()
}

#[repr(C)]
pub struct Doubles2 {
    data: [f64; 2],
}

#[no_mangle]
pub extern "C" fn _testfunc_array_in_struct2(s: Doubles2) -> f64 {
    s.data[0] + s.data[1]
}

#[repr(C)]
pub struct Floats4 {
    data: [f32; 2],
    more: [f32; 2],
}

#[no_mangle]
pub extern "C" fn _testfunc_array_in_struct2a(s: Floats4) -> f64 {
    s.data[0] as f64 + s.data[1] as f64 + s.more[0] as f64 + s.more[1] as f64
}

/// The integral of `f` over `[a, b]` with `nstep` rectangles.
#[no_mangle]
pub extern "C" fn integrate(a: f64, b: f64, f: extern "C" fn(f64) -> f64, nstep: i64) -> f64 {
    if nstep <= 0 {
        return 0.0;
    }
    let dx = (b - a) / nstep as f64;
    (0..nstep).map(|i| f(a + dx * (i as f64 + 0.5)) * dx).sum()
}

#[no_mangle]
pub extern "C" fn get_an_integer() -> i32 {
    // SAFETY: single-threaded test use (module invariant).
    unsafe { an_integer }
}

#[no_mangle]
pub extern "C" fn my_sqrt(x: f64) -> f64 {
    x.sqrt()
}

#[no_mangle]
pub unsafe extern "C" fn my_qsort(
    base: *mut c_void,
    num: usize,
    width: usize,
    compare: extern "C" fn(*const c_void, *const c_void) -> i32,
) {
    // SAFETY: the caller's array (module invariant).
    unsafe {
        libc::qsort(
            base,
            num,
            width,
            Some(std::mem::transmute::<
                extern "C" fn(*const c_void, *const c_void) -> i32,
                unsafe extern "C" fn(*const c_void, *const c_void) -> i32,
            >(compare)),
        )
    }
}

#[no_mangle]
pub unsafe extern "C" fn my_strchr(s: *const c_char, c: i32) -> *mut c_char {
    // SAFETY: a NUL-terminated string (module invariant).
    unsafe { libc::strchr(s, c) }
}

#[no_mangle]
pub extern "C" fn get_strchr() -> unsafe extern "C" fn(*const c_char, i32) -> *mut c_char {
    my_strchr
}

#[no_mangle]
pub unsafe extern "C" fn my_strdup(s: *const c_char) -> *mut c_char {
    // SAFETY: a NUL-terminated string (module invariant).
    unsafe { libc::strdup(s) }
}

#[no_mangle]
pub unsafe extern "C" fn my_free(p: *mut c_void) {
    // SAFETY: p came from my_strdup/my_wcsdup or is null.
    unsafe { libc::free(p) }
}

#[no_mangle]
pub unsafe extern "C" fn my_wcslen(s: *const libc::wchar_t) -> usize {
    let mut n = 0;
    // SAFETY: a NUL-terminated wide string (module invariant).
    unsafe {
        while *s.add(n) != 0 {
            n += 1;
        }
    }
    n
}

#[no_mangle]
pub unsafe extern "C" fn my_wcsdup(s: *const libc::wchar_t) -> *mut libc::wchar_t {
    // SAFETY: a NUL-terminated wide string; the copy has room for the terminator.
    unsafe {
        let n = my_wcslen(s) + 1;
        let p = libc::malloc(n * std::mem::size_of::<libc::wchar_t>()) as *mut libc::wchar_t;
        if !p.is_null() {
            std::ptr::copy_nonoverlapping(s, p, n);
        }
        p
    }
}

#[no_mangle]
pub unsafe extern "C" fn my_strtok(s: *mut c_char, delim: *const c_char) -> *mut c_char {
    // SAFETY: NUL-terminated strings (module invariant); strtok's hidden state
    // is only used by single-threaded tests.
    unsafe { libc::strtok(s, delim) }
}

/// The fields of test_bitfields' `BITS` (int `A:1` ... `I:9`, then short
/// `M:1` ... `S:7`) as the platform C compiler lays them out: a bit field
/// goes at the next free bit unless it would cross a boundary of its
/// type's size, then it starts the next unit. Returns the named field,
/// sign-extended; 999 for an unknown name.
#[no_mangle]
pub unsafe extern "C" fn unpack_bitfields(bits: *const u8, name: c_char) -> i64 {
    const FIELDS: [(u8, u32, u32); 16] = [
        (b'A', 1, 4),
        (b'B', 2, 4),
        (b'C', 3, 4),
        (b'D', 4, 4),
        (b'E', 5, 4),
        (b'F', 6, 4),
        (b'G', 7, 4),
        (b'H', 8, 4),
        (b'I', 9, 4),
        (b'M', 1, 2),
        (b'N', 2, 2),
        (b'O', 3, 2),
        (b'P', 4, 2),
        (b'Q', 5, 2),
        (b'R', 6, 2),
        (b'S', 7, 2),
    ];
    if bits.is_null() {
        return 999;
    }
    // SAFETY: a 12-byte BITS structure (module invariant).
    let raw = unsafe { std::slice::from_raw_parts(bits, 12) };
    let mut all = 0u128;
    for (i, b) in raw.iter().enumerate() {
        all |= (*b as u128) << (8 * i);
    }
    let mut pos = 0u32;
    for (n, width, size) in FIELDS {
        let unit = size * 8;
        if pos / unit != (pos + width - 1) / unit {
            pos = (pos / unit + 1) * unit;
        }
        if n as c_char == name {
            let v = ((all >> pos) & ((1u128 << width) - 1)) as i64;
            return if v >> (width - 1) & 1 == 1 { v - (1 << width) } else { v };
        }
        pos += width;
    }
    999
}

#[no_mangle]
pub static mut left: i64 = 10;
#[no_mangle]
pub static mut top: i64 = 20;
#[no_mangle]
pub static mut right: i64 = 40;
#[no_mangle]
pub static mut bottom: i64 = 30;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct Rect {
    left: i64,
    top: i64,
    right: i64,
    bottom: i64,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct LPoint {
    x: i64,
    y: i64,
}

/// 1 when `pt` lies inside `*prc`.
#[no_mangle]
pub unsafe extern "C" fn PointInRect(prc: *const Rect, pt: LPoint) -> i32 {
    if prc.is_null() {
        return 0;
    }
    // SAFETY: a readable RECT (module invariant).
    let r = unsafe { *prc };
    (pt.x >= r.left && pt.x <= r.right && pt.y >= r.top && pt.y <= r.bottom) as i32
}

/// One of the rectangles passed in, chosen by `i`; checks the points.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn ReturnRect(
    i: i32,
    ar: Rect,
    br: *const Rect,
    cp: LPoint,
    dr: Rect,
    er: *const Rect,
    fp: LPoint,
    gr: Rect,
) -> Rect {
    let zero = Rect { left: 0, top: 0, right: 0, bottom: 0 };
    // SAFETY: readable RECTs (module invariant).
    unsafe {
        if PointInRect(&ar, cp) == 0 || PointInRect(&dr, fp) == 0 || br.is_null() || er.is_null() {
            return zero;
        }
        match i {
            0 => ar,
            1 => *br,
            2 => dr,
            3 => *er,
            _ => gr,
        }
    }
}
