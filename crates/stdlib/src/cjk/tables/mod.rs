//! Generated tables (tools/gen_cjk_tables.py); see the headers of the files.
#![allow(clippy::unreadable_literal)]
pub mod charsets;
pub mod codecs;
