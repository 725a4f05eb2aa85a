"""Writes crates/parser/src/charmaps.rs: the upper halves of the single-byte
codecs Taipan's parser decodes coding cookies with, taken from CPython's own
codec tables. Run from the repository root: python3 tools/gen_charmaps.py"""
NAMES = ['cp1250', 'cp1251', 'cp1252', 'koi8_r', 'koi8_u', 'iso8859_2', 'iso8859_5', 'iso8859_7', 'iso8859_15']
out = ['//! Upper halves (bytes 0x80..=0xFF) of the single-byte codecs a coding',
       '//! cookie may name, for decoding source files. Generated from CPython\'s',
       '//! codec tables by `tools/gen_charmaps.py`; 0 marks an undefined byte.',
       '', '#[rustfmt::skip]', 'pub const CHARMAPS: &[(&str, [u16; 128])] = &[']
for n in NAMES:
    vals = []
    for b in range(0x80, 0x100):
        try:
            vals.append(ord(bytes([b]).decode(n)))
        except UnicodeDecodeError:
            vals.append(0)
    out.append(f'    ("{n}", [' + ', '.join(f'0x{v:04X}' for v in vals) + ']),')
out.append('];')
open('crates/parser/src/charmaps.rs', 'w').write('\n'.join(out) + '\n')
