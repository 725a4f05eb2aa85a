//! `_codecs_iso2022`: the ISO-2022 family (stateful escape-sequence codecs).

use super::CjkCodec;

pub static CODECS: &[(&str, &dyn CjkCodec)] = &[];
