//! Fuzz target `parse`: any byte string must yield a dump or a CPython-style
//! error line from `dump_or_error`, never a panic, hang or stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let out = taipan_parser::dump_or_error(data, "fuzz");
    assert!(!out.is_empty(), "dump_or_error returned an empty string");
});
