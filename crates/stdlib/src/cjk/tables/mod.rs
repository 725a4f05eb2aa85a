//! Generated tables (tools/gen_cjk_tables.py); see the headers of the files.
#[rustfmt::skip]
pub mod charsets;
#[rustfmt::skip]
pub mod codecs;
