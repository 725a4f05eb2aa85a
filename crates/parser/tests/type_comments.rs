//! `ast.parse(src, type_comments=True, feature_version=(3, N))`: the cases of
//! `tests/type_comments.txt` (written by `tools/gen_type_comment_cases.py`
//! from CPython 3.11) must dump as CPython's, or fail with its error
//! message and line. Error offsets are not compared: `CHECK_VERSION`
//! errors sit at pegen's last-filled token, which a hand-written parser
//! does not track.

use taipan_parser::{dump, parse_module_text_opts, Options};

fn ours(src: &str, v: u32) -> String {
    match parse_module_text_opts(src, Options { type_comments: true, feature_version: v }) {
        Ok(m) => dump::dump_module(&m),
        Err(e) => format!("{}: {} ({}, ", e.kind.name(), e.msg, e.lineno.unwrap_or(0)),
    }
}

#[test]
fn type_comments_and_feature_version() {
    let text = include_str!("type_comments.txt");
    let mut failures = Vec::new();
    let mut n = 0;
    for block in text.split("@@@ ").skip(1) {
        let Some((head, rest)) = block.split_once('\n') else { continue };
        if head == "expect" {
            continue;
        }
        let Some((name, v)) = head.split_once(' ') else { continue };
        let v: u32 = v.parse().expect("version");
        let Some(pos) = text.find(&format!("@@@ {head}\n")) else { continue };
        let after = &text[pos + head.len() + 5..];
        let Some((src, exp)) = after.split_once("@@@ expect\n") else { continue };
        let expected = exp.lines().next().unwrap_or("");
        let got = ours(src, v);
        n += 1;
        let ok = if expected.ends_with(')') && got.ends_with(", ") { expected.starts_with(&got) } else { got == expected };
        if !ok {
            failures.push(format!("{name} (3, {v}):\n  expected {expected}\n  got      {got}"));
        }
        let _ = rest;
    }
    assert!(n > 100, "only {n} cases read");
    assert!(failures.is_empty(), "{} of {n} cases differ:\n{}", failures.len(), failures.join("\n"));
}
