//! String literals after tokenizing: prefixes, implicit concatenation, and
//! f-strings as Python 3.11 parses them.
//!
//! In 3.11 an f-string is one STRING token; its `{...}` expressions are
//! re-parsed by a sub-parser over `"(" + expression + ")"`, whose token
//! positions are shifted to where the expression sits in the file. The
//! shift reproduces CPython 3.11's `fstring_find_expr_location`, including
//! its quirk of adding the token's column to expressions on later lines of
//! a multi-line f-string. Literal parts and `FormattedValue` nodes span the
//! whole concatenation; a format spec's `JoinedStr` spans its own token.

use crate::ast::*;
use crate::error::ErrorKind;
use crate::literal;
use crate::parser::{PResult, Parser};
use crate::tokenizer::Token;
use crate::wtf8::Wtf8Buf;

const MAX_NESTED_PARENS: usize = 200;

struct Prefix {
    bytes: bool,
    raw: bool,
    fstring: bool,
    unicode: bool,
}

fn split_token(text: &str) -> (Prefix, &str) {
    let q = text.find(['"', '\'']).unwrap_or(0);
    let prefix = &text[..q];
    let p = Prefix {
        bytes: prefix.contains(['b', 'B']),
        raw: prefix.contains(['r', 'R']),
        fstring: prefix.contains(['f', 'F']),
        unicode: prefix.contains('u'),
    };
    let rest = &text[q..];
    let qlen = if rest.len() >= 6 && (rest.starts_with("\"\"\"") || rest.starts_with("'''")) { 3 } else { 1 };
    let body = if rest.len() >= 2 * qlen { &rest[qlen..rest.len() - qlen] } else { "" };
    (p, body)
}

/// Accumulates the parts of a (possibly f-) string concatenation.
struct Builder {
    last: Wtf8Buf,
    has_last: bool,
    values: Vec<Expr>,
    kind: Option<UPrefix>,
    loc: Loc,
}

impl Builder {
    fn push_str(&mut self, s: &Wtf8Buf) {
        self.last.push_wtf8(s);
        self.has_last = true;
    }

    fn flush(&mut self) {
        let loc = self.loc;
        self.flush_at(loc);
    }

    fn flush_at(&mut self, loc: Loc) {
        if self.has_last && !self.last.is_empty() {
            let value = Constant::Str(Box::new(std::mem::take(&mut self.last)));
            self.values.push(Expr { kind: ExprKind::Constant { value, kind: self.kind }, loc });
        }
        self.last = Wtf8Buf::new();
        self.has_last = false;
    }
}

/// Builds the node for the STRING tokens `toks` (one atom).
pub(crate) fn concatenate(p: &mut Parser, toks: &[Token]) -> PResult<Expr> {
    let first = toks[0];
    let last = toks[toks.len() - 1];
    let loc = Loc { lineno: first.lineno, col_offset: first.col, end_lineno: last.end_lineno, end_col_offset: last.end_col };
    let (first_prefix, _) = split_token(p.token_text(&first));
    let bytes_mode = first_prefix.bytes;
    let kind = if first_prefix.unicode { Some(UPrefix) } else { None };
    let mut any_fstring = false;
    for t in toks {
        let (pre, _) = split_token(p.token_text(t));
        if pre.bytes != bytes_mode {
            return Err(p.error_at_last_token("cannot mix bytes and nonbytes literals"));
        }
        any_fstring |= pre.fstring;
    }
    if bytes_mode {
        let mut out = Vec::new();
        for t in toks {
            let (pre, body) = split_token(p.token_text(t));
            if !body.is_ascii() {
                // Located at the offending token itself.
                return Err(p.raise_at_pos(ErrorKind::SyntaxError, "bytes can only contain ASCII literal characters", t.lineno, t.col));
            }
            match literal::decode_bytes(body, pre.raw) {
                Ok(b) => out.extend_from_slice(&b),
                Err(e) => return Err(p.error_at_last_token(&e.msg)),
            }
        }
        return Ok(Expr { kind: ExprKind::Constant { value: Constant::Bytes(out.into_boxed_slice()), kind: None }, loc });
    }
    if any_fstring && p.feature_version < 6 {
        return Err(p.error_at_last_token("Format strings are only supported in Python 3.6 and greater"));
    }
    if !any_fstring {
        let mut out = Wtf8Buf::new();
        for t in toks {
            let (pre, body) = split_token(p.token_text(t));
            match literal::decode_str(body, pre.raw) {
                Ok(s) => out.push_wtf8(&s),
                Err(e) => return Err(p.error_at_last_token(&e.msg)),
            }
        }
        return Ok(Expr { kind: ExprKind::Constant { value: Constant::Str(Box::new(out)), kind }, loc });
    }
    let mut b = Builder { last: Wtf8Buf::new(), has_last: false, values: Vec::new(), kind, loc };
    for t in toks {
        let text = p.token_text(t);
        let (pre, body) = split_token(text);
        if !pre.fstring {
            match literal::decode_str(body, pre.raw) {
                Ok(s) => b.push_str(&s),
                Err(e) => return Err(p.error_at_last_token(&e.msg)),
            }
            continue;
        }
        let body_start = text.find(body).unwrap_or(0);
        let mut fp = FParser { p, tok: *t, text, pos: body_start, end: body_start + body.len(), raw: pre.raw, loc };
        fp.parse(&mut b, 0)?;
    }
    b.flush();
    Ok(Expr { kind: ExprKind::JoinedStr { values: b.values }, loc })
}

struct FParser<'a, 'p, 's> {
    p: &'a mut Parser<'p>,
    tok: Token,
    /// The whole token text (prefix and quotes included).
    text: &'s str,
    pos: usize,
    end: usize,
    raw: bool,
    loc: Loc,
}

impl FParser<'_, '_, '_> {
    fn err<T>(&mut self, msg: &str) -> PResult<T> {
        Err(self.p.error_at_last_token(msg))
    }

    /// Parses literal text and expressions until the end of the body, or
    /// (in a format spec, `level` 1) until the closing `}`.
    fn parse(&mut self, b: &mut Builder, level: u32) -> PResult<()> {
        loop {
            self.literal(b, level)?;
            if self.pos >= self.end {
                return Ok(());
            }
            let c = self.text.as_bytes()[self.pos];
            if c == b'}' {
                // End of a format spec.
                return Ok(());
            }
            // '{': an expression.
            self.expression(b, level)?;
        }
    }

    fn literal(&mut self, b: &mut Builder, level: u32) -> PResult<()> {
        let bytes = self.text.as_bytes();
        loop {
            let start = self.pos;
            let mut s = self.pos;
            let mut doubled = false;
            while s < self.end {
                let ch = bytes[s];
                s += 1;
                if !self.raw && ch == b'\\' && s < self.end {
                    let next = bytes[s];
                    s += 1;
                    if next == b'N' && s < self.end && bytes[s] == b'{' {
                        // A named escape: its braces are not an expression.
                        while s < self.end && bytes[s] != b'}' {
                            s += 1;
                        }
                        if s < self.end {
                            s += 1;
                        }
                        continue;
                    }
                    if next == b'{' || next == b'}' {
                        s -= 1;
                    }
                    continue;
                }
                if ch == b'{' || ch == b'}' {
                    if level == 0 {
                        if s < self.end && bytes[s] == ch {
                            doubled = true;
                            break;
                        }
                        if ch == b'}' {
                            self.pos = s - 1;
                            return self.err("f-string: single '}' is not allowed");
                        }
                    }
                    s -= 1;
                    break;
                }
            }
            let chunk = &self.text[start..s];
            if let Some(e) = literal::invalid_utf8(chunk, !self.raw) {
                return self.err(&e.msg);
            }
            if !chunk.is_empty() {
                let decoded = if self.raw {
                    Ok(Wtf8Buf::from_str(chunk))
                } else if let Some(stripped) =
                    chunk.strip_suffix('\\').filter(|_| chunk.bytes().rev().take_while(|&c| c == b'\\').count() % 2 == 1)
                {
                    // A backslash before a brace stays a backslash.
                    literal::decode_str(stripped, false).map(|mut w| {
                        w.push_str("\\");
                        w
                    })
                } else {
                    literal::decode_str(chunk, false)
                };
                match decoded {
                    Ok(w) => b.push_str(&w),
                    Err(e) => return self.err(&e.msg),
                }
            }
            if doubled {
                self.pos = s + 1;
                continue;
            }
            self.pos = s;
            return Ok(());
        }
    }

    fn expression(&mut self, b: &mut Builder, level: u32) -> PResult<()> {
        let bytes = self.text.as_bytes();
        let brace = self.pos;
        self.pos += 1;
        if level >= 2 {
            return self.err("f-string: expressions nested too deeply");
        }
        let expr_start = self.pos;
        let mut quote: u8 = 0;
        let mut quote_len = 0;
        let mut stack: Vec<u8> = Vec::new();
        while self.pos < self.end {
            let ch = bytes[self.pos];
            if ch == b'\\' {
                return self.err("f-string expression part cannot include a backslash");
            }
            if quote != 0 {
                if ch == quote {
                    if quote_len == 3 {
                        if self.pos + 2 < self.end && bytes[self.pos + 1] == ch && bytes[self.pos + 2] == ch {
                            self.pos += 3;
                            quote = 0;
                            continue;
                        }
                    } else {
                        quote = 0;
                    }
                }
                self.pos += 1;
                continue;
            }
            match ch {
                b'\'' | b'"' => {
                    if self.pos + 2 < self.end && bytes[self.pos + 1] == ch && bytes[self.pos + 2] == ch {
                        quote_len = 3;
                        self.pos += 2;
                    } else {
                        quote_len = 1;
                    }
                    quote = ch;
                }
                b'[' | b'(' | b'{' => {
                    if stack.len() >= MAX_NESTED_PARENS {
                        return self.err("f-string: too many nested parenthesis");
                    }
                    stack.push(ch);
                }
                b'#' => return self.err("f-string expression part cannot include '#'"),
                b']' | b')' | b'}' if !stack.is_empty() => {
                    let open = stack.pop().unwrap_or(b'(');
                    let ok = matches!((open, ch), (b'(', b')') | (b'[', b']') | (b'{', b'}'));
                    if !ok {
                        let msg =
                            format!("f-string: closing parenthesis '{}' does not match opening parenthesis '{}'", ch as char, open as char);
                        return self.err(&msg);
                    }
                }
                b']' | b')' => {
                    let msg = format!("f-string: unmatched '{}'", ch as char);
                    return self.err(&msg);
                }
                b'!' | b':' | b'}' | b'=' | b'<' | b'>' if stack.is_empty() => {
                    let next = if self.pos + 1 < self.end { bytes[self.pos + 1] } else { 0 };
                    if next == b'=' && matches!(ch, b'!' | b'=' | b'<' | b'>') {
                        self.pos += 2;
                        continue;
                    }
                    if ch != b'<' && ch != b'>' {
                        break;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        let expr_end = self.pos;
        if quote != 0 {
            return self.err("f-string: unterminated string");
        }
        if let Some(&open) = stack.last() {
            let msg = format!("f-string: unmatched '{}'", open as char);
            return self.err(&msg);
        }
        if self.pos >= self.end {
            return self.err("f-string: expecting '}'");
        }
        let expr_text = &self.text[expr_start..expr_end];
        if expr_text.bytes().all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r' | b'\x0b')) {
            let c = bytes[self.pos];
            if matches!(c, b'=' | b'!' | b':') {
                let msg = format!("f-string: expression required before '{}'", c as char);
                return self.err(&msg);
            }
            return self.err("f-string: empty expression not allowed");
        }
        let value = self.compile_expr(brace, expr_text)?;

        let mut conversion = -1;
        let mut debug_text = None;
        if bytes[self.pos] == b'=' {
            self.pos += 1;
            while self.pos < self.end && matches!(bytes[self.pos], b' ' | b'\t' | b'\n' | b'\x0c' | b'\r' | b'\x0b') {
                self.pos += 1;
            }
            if self.pos >= self.end {
                return self.err("f-string: expecting '}'");
            }
            debug_text = Some(&self.text[expr_start..self.pos]);
            if self.p.feature_version < 8 {
                return self.err("f-string: self documenting expressions are only supported in Python 3.8 and greater");
            }
        }
        if bytes[self.pos] == b'!' {
            self.pos += 1;
            if self.pos >= self.end {
                return self.err("f-string: expecting '}'");
            }
            let c = bytes[self.pos];
            self.pos += 1;
            if !matches!(c, b's' | b'r' | b'a') {
                return self.err("f-string: invalid conversion character: expected 's', 'r', or 'a'");
            }
            conversion = c as i32;
        }
        let mut format_spec = None;
        if self.pos < self.end && bytes[self.pos] == b':' {
            self.pos += 1;
            let t = self.tok;
            let mut spec = Builder { last: Wtf8Buf::new(), has_last: false, values: Vec::new(), kind: b.kind, loc: self.loc };
            self.parse(&mut spec, level + 1)?;
            // The spec's trailing literal and the spec itself span only the
            // current token; earlier parts span the whole concatenation.
            let spec_loc = Loc { lineno: t.lineno, col_offset: t.col, end_lineno: t.end_lineno, end_col_offset: t.end_col };
            spec.flush_at(spec_loc);
            format_spec = Some(Box::new(Expr { kind: ExprKind::JoinedStr { values: spec.values }, loc: spec_loc }));
        }
        if self.pos >= self.end || bytes[self.pos] != b'}' {
            return self.err("f-string: expecting '}'");
        }
        self.pos += 1;
        if let Some(dt) = debug_text {
            b.push_str(&Wtf8Buf::from_str(dt));
            if conversion == -1 && format_spec.is_none() {
                conversion = b'r' as i32;
            }
        }
        b.flush();
        b.values.push(Expr { kind: ExprKind::FormattedValue { value: Box::new(value), conversion, format_spec }, loc: self.loc });
        Ok(())
    }

    /// Parses `expr_text` (which starts right after the `{` at byte
    /// `brace` of the token) with positions shifted into the file.
    fn compile_expr(&mut self, brace: usize, expr_text: &str) -> PResult<Expr> {
        let t = self.tok;
        let before = &self.text[..brace];
        let lines = before.bytes().filter(|&c| c == b'\n').count() as u32;
        let after = &self.text[brace + 1..];
        let newline_after_brace = after.bytes().take_while(|&c| c != b'}' && c != b'\n').all(|c| matches!(c, b' ' | b'\t' | b'\x0c'))
            && after.bytes().find(|&c| c == b'}' || c == b'\n' || !matches!(c, b' ' | b'\t' | b'\x0c')) != Some(b'}');
        let cols = if newline_after_brace {
            0
        } else {
            match before.rfind('\n') {
                Some(nl) => (brace - nl - 1) as u32,
                None => brace as u32,
            }
        };
        let src = format!("({expr_text})");
        let mut sub = Parser::new(&src);
        sub.line_offset = t.lineno + lines - 1;
        // CPython 3.11.7 shifts by the token's column only when the
        // expression is on the token's first line.
        sub.first_line_col = if lines == 0 { t.col + cols } else { cols };
        sub.in_fstring = true;
        sub.fstring_depth = self.p.fstring_depth + 1;
        // The sub-parser's source outlives nothing: its tree owns its data.
        sub.parse_fstring_expr()
    }
}

impl<'s> Parser<'s> {
    /// CPython's `fstring` start rule: `star_expressions`.
    pub(crate) fn parse_fstring_expr(&mut self) -> PResult<Expr> {
        match self.star_expressions() {
            Ok(e) => Ok(e),
            Err(e) => {
                let e = self.second_pass(e);
                Err(self.finish_fstring_error(e))
            }
        }
    }

    fn finish_fstring_error(&mut self, mut e: crate::error::ParseError) -> crate::error::ParseError {
        if !e.msg.starts_with("f-string") {
            e.msg = format!("f-string: {}", e.msg);
        }
        e
    }

    /// An error at the last token read (CPython's `RAISE_SYNTAX_ERROR`).
    pub(crate) fn error_at_last_token(&mut self, msg: &str) -> crate::error::ParseError {
        let t = self.last_token();
        let mut e = self.raise_at_pos(ErrorKind::SyntaxError, msg, t.lineno, t.col);
        // CPython prefixes every error an f-string sub-parser raises, so a
        // nested f-string's own "f-string: ..." error gets it twice.
        if self.in_fstring {
            e.msg = format!("f-string: {}", e.msg);
        }
        e
    }
}
