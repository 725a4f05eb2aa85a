//! The tokenizer: UTF-8 source text to Python 3.11 tokens, on demand.
//!
//! It mirrors CPython's `Parser/tokenizer.c` in what it accepts and in the
//! errors it raises (messages and locations), since those errors surface as
//! `SyntaxError`s. Tokens are produced lazily, one `next_token` call at a
//! time, because CPython reports a tokenizer error only when the parser
//! reaches it: a syntax error earlier in the file wins.
//!
//! Columns are UTF-8 byte offsets from the start of the line. f-strings are
//! one `String` token, as in 3.11; the parser splits them.
//!
//! Error offsets follow CPython's two conventions: errors its tokenizer
//! raises itself (`syntaxerror()`) count characters; errors pegen raises at
//! a known location count bytes of the original source, or characters when
//! the source declared an encoding (see [`Tokenizer::pegen_offset`]).

use crate::error::{ErrorKind, ParseError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Tok {
    EndMarker,
    Name,
    Number,
    String,
    Newline,
    Indent,
    Dedent,
    /// A character no token starts with (`$`, `?`, `!` alone, ...).
    ErrorToken,
    LPar,
    RPar,
    LSqb,
    RSqb,
    Colon,
    Comma,
    Semi,
    Plus,
    Minus,
    Star,
    Slash,
    VBar,
    Amper,
    Less,
    Greater,
    Equal,
    Dot,
    Percent,
    LBrace,
    RBrace,
    EqEqual,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Tilde,
    Circumflex,
    LeftShift,
    RightShift,
    DoubleStar,
    PlusEqual,
    MinEqual,
    StarEqual,
    SlashEqual,
    PercentEqual,
    AmperEqual,
    VBarEqual,
    CircumflexEqual,
    LeftShiftEqual,
    RightShiftEqual,
    DoubleStarEqual,
    DoubleSlash,
    DoubleSlashEqual,
    At,
    AtEqual,
    RArrow,
    Ellipsis,
    ColonEqual,
    /// A `# type: ...` comment (only with `type_comments`); the token's
    /// range is the text after the `type:` prefix.
    TypeComment,
    // Hard keywords.
    False,
    None,
    True,
    And,
    As,
    Assert,
    Async,
    Await,
    Break,
    Class,
    Continue,
    Def,
    Del,
    Elif,
    Else,
    Except,
    Finally,
    For,
    From,
    Global,
    If,
    Import,
    In,
    Is,
    Lambda,
    Nonlocal,
    Not,
    Or,
    Pass,
    Raise,
    Return,
    Try,
    While,
    With,
    Yield,
}

impl Tok {
    pub fn is_keyword(self) -> bool {
        (self as u8) >= (Tok::False as u8)
    }
}

fn keyword(text: &[u8]) -> Option<Tok> {
    Some(match text {
        b"False" => Tok::False,
        b"None" => Tok::None,
        b"True" => Tok::True,
        b"and" => Tok::And,
        b"as" => Tok::As,
        b"assert" => Tok::Assert,
        b"async" => Tok::Async,
        b"await" => Tok::Await,
        b"break" => Tok::Break,
        b"class" => Tok::Class,
        b"continue" => Tok::Continue,
        b"def" => Tok::Def,
        b"del" => Tok::Del,
        b"elif" => Tok::Elif,
        b"else" => Tok::Else,
        b"except" => Tok::Except,
        b"finally" => Tok::Finally,
        b"for" => Tok::For,
        b"from" => Tok::From,
        b"global" => Tok::Global,
        b"if" => Tok::If,
        b"import" => Tok::Import,
        b"in" => Tok::In,
        b"is" => Tok::Is,
        b"lambda" => Tok::Lambda,
        b"nonlocal" => Tok::Nonlocal,
        b"not" => Tok::Not,
        b"or" => Tok::Or,
        b"pass" => Tok::Pass,
        b"raise" => Tok::Raise,
        b"return" => Tok::Return,
        b"try" => Tok::Try,
        b"while" => Tok::While,
        b"with" => Tok::With,
        b"yield" => Tok::Yield,
        _ => return None,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Tok,
    /// Byte range in the source text.
    pub start: u32,
    pub end: u32,
    pub lineno: u32,
    pub col: u32,
    pub end_lineno: u32,
    pub end_col: u32,
}

const MAX_INDENT: usize = 100;
const MAX_LEVEL: usize = 200;
const TAB_SIZE: u32 = 8;

pub struct Tokenizer<'s> {
    src: &'s str,
    b: &'s [u8],
    pos: usize,
    lineno: u32,
    line_start: usize,
    at_bol: bool,
    /// Indentation stack: (columns with tabs to 8, columns with tabs as 1).
    indents: Vec<(u32, u32)>,
    pending: i32,
    /// Open brackets: (char, line, byte column).
    parens: Vec<(u8, u32, u32)>,
    /// True once ENDMARKER has been returned.
    done: bool,
    /// Set once an error has been returned; every later call returns it again.
    error: Option<ParseError>,
    /// Whether the previous significant token ended a line (for NEWLINE
    /// suppression on blank input).
    emitted_any: bool,
    /// The current line holds nothing but whitespace and a comment so far
    /// as indentation is concerned: its newline is not a NEWLINE token.
    blank_line: bool,
    /// Bytes of a leading BOM (kept in the text, not part of line 1).
    bom_len: usize,
    /// A BOM or coding cookie was present: pegen offsets count characters.
    encoding_declared: bool,
    /// `PyCF_TYPE_COMMENTS`: `# type: ...` comments become `TypeComment`
    /// tokens and `# type: ignore...` ones are collected in `type_ignores`.
    pub type_comments: bool,
    /// `(line, tag)` of each `# type: ignore` comment read so far.
    pub type_ignores: Vec<(u32, String)>,
    /// CPython's `async_hacks` (`feature_version` below 3.7): `async` and
    /// `await` are names outside `async def`.
    pub async_hacks: bool,
    /// Inside an `async def` (async hacks): its indentation index, and
    /// whether the NEWLINE ending its header was seen.
    async_def: Option<(usize, bool)>,
}

impl<'s> Tokenizer<'s> {
    pub fn new(src: &'s str) -> Tokenizer<'s> {
        let bom_len = if src.starts_with('\u{FEFF}') { 3 } else { 0 };
        Tokenizer {
            src,
            b: src.as_bytes(),
            pos: bom_len,
            lineno: 1,
            line_start: bom_len,
            bom_len,
            encoding_declared: crate::source::declares_encoding(src),
            at_bol: true,
            indents: vec![(0, 0)],
            pending: 0,
            parens: Vec::new(),
            done: false,
            error: None,
            emitted_any: false,
            blank_line: false,
            type_comments: false,
            type_ignores: Vec::new(),
            async_hacks: false,
            async_def: None,
        }
    }

    pub fn source(&self) -> &'s str {
        self.src
    }

    /// True once the end of input was met inside brackets (the error then
    /// returned is "'(' was never closed").
    pub fn at_eof_in_parens(&self) -> bool {
        self.pos >= self.b.len() && !self.parens.is_empty()
    }

    /// Current nesting level of brackets.
    pub fn paren_level(&self) -> usize {
        self.parens.len()
    }

    /// Number of characters in the source from `from` to `to` (byte offsets).
    fn chars_between(&self, from: usize, to: usize) -> i64 {
        let to = to.min(self.b.len());
        if from >= to {
            return 0;
        }
        self.b[from..to].iter().filter(|&&c| (c & 0xC0) != 0x80).count() as i64
    }

    fn err(&mut self, kind: ErrorKind, msg: String, lineno: u32, offset: i64) -> ParseError {
        let e = ParseError::new(kind, msg, lineno, offset);
        self.error = Some(e.clone());
        e
    }

    /// A SyntaxError located at `cur`'s character count in the current line
    /// (CPython's `syntaxerror()` convention: offset = characters before cur).
    fn err_at_cur(&mut self, msg: String, cur: usize) -> ParseError {
        let off = self.chars_between(self.line_start, cur);
        let line = self.lineno;
        self.err(ErrorKind::SyntaxError, msg, line, off)
    }

    fn peek(&self, off: usize) -> u8 {
        *self.b.get(self.pos + off).unwrap_or(&0)
    }

    fn tok(&self, kind: Tok, start: usize, lineno: u32, line_start: usize) -> Token {
        Token {
            kind,
            start: start as u32,
            end: self.pos as u32,
            lineno,
            col: (start - line_start) as u32,
            end_lineno: self.lineno,
            end_col: (self.pos - self.line_start) as u32,
        }
    }

    pub fn next_token(&mut self) -> Result<Token, ParseError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let t = self.next_inner()?;
        Ok(t)
    }

    /// Appends up to `n` tokens to `out`, stopping after ENDMARKER. An
    /// error ends the batch; the tokens before it stay in `out`.
    pub fn next_batch(&mut self, out: &mut Vec<Token>, n: usize) -> Result<(), ParseError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        out.reserve(n);
        for _ in 0..n {
            let t = self.next_inner()?;
            out.push(t);
            if t.kind == Tok::EndMarker {
                break;
            }
        }
        Ok(())
    }

    #[inline(always)]
    fn next_inner(&mut self) -> Result<Token, ParseError> {
        loop {
            if self.at_bol {
                self.at_bol = false;
                if let Some(t) = self.indentation()? {
                    return Ok(t);
                }
            }
            if self.pending != 0 {
                let kind = if self.pending > 0 {
                    self.pending -= 1;
                    Tok::Indent
                } else {
                    self.pending += 1;
                    Tok::Dedent
                };
                let p = self.pos;
                // CPython's INDENT/DEDENT have no column; an error at one is
                // placed at the tokenizer's position (the first character of
                // the line), offset without the usual +1.
                let col = (p - self.line_start).saturating_sub(1) as u32;
                return Ok(Token { kind, start: p as u32, end: p as u32, lineno: self.lineno, col, end_lineno: self.lineno, end_col: col });
            }
            // Skip spaces.
            while matches!(self.peek(0), b' ' | b'\t' | b'\x0c') {
                self.pos += 1;
            }
            let start = self.pos;
            let c = self.peek(0);
            if self.pos >= self.b.len() {
                return self.end_of_input();
            }
            match c {
                b'#' => {
                    while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                    if self.type_comments {
                        if let Some(t) = self.type_comment(start) {
                            return Ok(t);
                        }
                    }
                    continue;
                }
                b'\n' => {
                    let lineno = self.lineno;
                    let ls = self.line_start;
                    self.pos += 1;
                    let t = Token {
                        kind: Tok::Newline,
                        start: start as u32,
                        end: self.pos as u32,
                        lineno,
                        col: (start - ls) as u32,
                        end_lineno: lineno,
                        end_col: (start - ls + 1) as u32,
                    };
                    self.new_line();
                    if !self.parens.is_empty() {
                        continue;
                    }
                    self.at_bol = true;
                    if self.blank_line || !self.emitted_any {
                        // Blank lines before any token produce no NEWLINE.
                        continue;
                    }
                    if let Some((_, nl)) = &mut self.async_def {
                        *nl = true;
                    }
                    return Ok(t);
                }
                b'\\' => {
                    // CPython ends the source with a newline if it lacks one,
                    // so a backslash at the very end continues into EOF.
                    if self.peek(1) == b'\n' || self.pos + 1 >= self.b.len() {
                        if self.pos + 2 >= self.b.len() {
                            let line = self.lineno;
                            let off = self.pegen_offset(line, (self.pos + 1 - self.line_start) as u32, 1);
                            self.pos = self.b.len();
                            return Err(self.err(ErrorKind::SyntaxError, "unexpected EOF while parsing".into(), line, off));
                        }
                        self.pos += 2;
                        self.new_line();
                        continue;
                    }
                    let off = self.chars_between(self.line_start, start) + 2;
                    let line = self.lineno;
                    return Err(self.err(
                        ErrorKind::SyntaxError,
                        "unexpected character after line continuation character".into(),
                        line,
                        off,
                    ));
                }
                _ => {}
            }
            self.emitted_any = true;
            return self.token_at(start, c);
        }
    }

    fn new_line(&mut self) {
        self.lineno += 1;
        self.line_start = self.pos;
    }

    fn end_of_input(&mut self) -> Result<Token, ParseError> {
        let p = self.pos;
        if let Some(&(ch, line, col)) = self.parens.last() {
            // CPython: `'(' was never closed`, at the bracket.
            let off = self.pegen_offset(line, col, 1);
            return Err(self.err(ErrorKind::SyntaxError, format!("'{}' was never closed", ch as char), line, off));
        }
        // Implicit NEWLINE at the end of a last line without one.
        if self.emitted_any && !self.blank_line && p > 0 && self.b[p - 1] != b'\n' && !self.done {
            self.done = true;
            let col = (p - self.line_start) as u32;
            return Ok(Token {
                kind: Tok::Newline,
                start: p as u32,
                end: p as u32,
                lineno: self.lineno,
                col,
                end_lineno: self.lineno,
                end_col: col + 1,
            });
        }
        // DEDENT and ENDMARKER at EOF have no column in CPython either: an
        // error at one is placed after the last line's newline (which
        // CPython adds if missing), on that line.
        let (lineno, col) = self.eof_position();
        if self.indents.len() > 1 {
            self.indents.pop();
            return Ok(Token { kind: Tok::Dedent, start: p as u32, end: p as u32, lineno, col, end_lineno: lineno, end_col: col });
        }
        self.done = true;
        Ok(Token { kind: Tok::EndMarker, start: p as u32, end: p as u32, lineno, col, end_lineno: lineno, end_col: col })
    }

    /// Line and column (one less than CPython's offset) of tokens at EOF.
    fn eof_position(&self) -> (u32, u32) {
        let len = self.b.len();
        if len > self.bom_len && self.b[len - 1] == b'\n' && self.lineno > 1 {
            // The last line: it starts after the newline before its own.
            let start = self.b[..len - 1].iter().rposition(|&c| c == b'\n').map_or(self.bom_len, |p| p + 1);
            (self.lineno - 1, (len - 1 - start) as u32)
        } else {
            (self.lineno, (len - self.line_start) as u32)
        }
    }

    /// CPython's offset for an error pegen raises at byte column `col` of
    /// line `lineno` plus `plus` bytes (1 for `RAISE_ERROR_KNOWN_LOCATION`,
    /// 0 where CPython passes the raw tokenizer column): the original byte
    /// count without a declared encoding, else the characters in that many
    /// bytes of the line as CPython re-encodes it after decoding with
    /// `errors="replace"`.
    pub fn pegen_offset(&self, lineno: u32, col: u32, plus: i64) -> i64 {
        let start = self.line_start_of(lineno);
        let end = self.b[start..].iter().position(|&c| c == b'\n').map_or(self.b.len(), |p| start + p + 1);
        let line = self.src.get(start..end).unwrap_or("");
        let col = (col as usize).min(line.len());
        let prefix = line.get(..col).unwrap_or(line);
        // Escaped invalid bytes are one byte each in the original source.
        let escapes = if crate::source::has_escapes(prefix) { prefix.chars().filter(|&c| crate::source::is_escape(c)).count() } else { 0 };
        let n = col.saturating_sub(3 * escapes) as i64 + plus;
        if !self.encoding_declared {
            return n;
        }
        // CPython counts characters in a line text that keeps the BOM,
        // while the column was measured after it.
        let line = if lineno <= 1 && self.bom_len > 0 { self.src.get(..end).unwrap_or(line) } else { line };
        let raw = crate::source::unescape(line);
        let line = String::from_utf8_lossy(&raw);
        let bytes = line.as_bytes();
        let n = n.max(0) as usize;
        if n > bytes.len() {
            return line.chars().count() as i64 + 1;
        }
        String::from_utf8_lossy(&bytes[..n]).chars().count() as i64
    }

    /// Byte offset where line `lineno` starts (only used on error paths).
    pub fn line_start_of(&self, lineno: u32) -> usize {
        if lineno <= 1 {
            return self.bom_len;
        }
        let mut n = 1;
        for (i, &c) in self.b.iter().enumerate() {
            if c == b'\n' {
                n += 1;
                if n == lineno {
                    return i + 1;
                }
            }
        }
        self.b.len()
    }

    /// Handles indentation at the beginning of a logical line.
    fn indentation(&mut self) -> Result<Option<Token>, ParseError> {
        let mut col = 0u32;
        let mut altcol = 0u32;
        loop {
            match self.peek(0) {
                b' ' => {
                    col += 1;
                    altcol += 1;
                }
                b'\t' => {
                    col = (col / TAB_SIZE + 1) * TAB_SIZE;
                    altcol += 1;
                }
                b'\x0c' => {
                    col = 0;
                    altcol = 0;
                }
                _ => break,
            }
            self.pos += 1;
        }
        let c = self.peek(0);
        let blank = c == b'#' || c == b'\n' || self.pos >= self.b.len();
        self.blank_line = blank && self.parens.is_empty();
        if blank || !self.parens.is_empty() {
            return Ok(None);
        }
        let &(top, alttop) = self.indents.last().unwrap_or(&(0, 0));
        if col == top {
            if altcol != alttop {
                return Err(self.tab_error());
            }
        } else if col > top {
            if self.indents.len() >= MAX_INDENT {
                let line = self.lineno;
                return Err(self.err(ErrorKind::IndentationError, "too many levels of indentation".into(), line, 1));
            }
            if altcol <= alttop {
                return Err(self.tab_error());
            }
            self.indents.push((col, altcol));
            self.pending += 1;
        } else {
            while self.indents.len() > 1 && col < self.indents[self.indents.len() - 1].0 {
                self.indents.pop();
                self.pending -= 1;
            }
            let &(top, alttop) = self.indents.last().unwrap_or(&(0, 0));
            if col != top {
                // At the end of the line, newline included (CPython adds
                // one at EOF if missing).
                let end = self.b[self.pos..].iter().position(|&c| c == b'\n').map_or(self.b.len(), |p| self.pos + p);
                let line = self.lineno;
                let off = self.pegen_offset(line, (end - self.line_start) as u32, 1);
                return Err(self.err(ErrorKind::IndentationError, "unindent does not match any outer indentation level".into(), line, off));
            }
            if altcol != alttop {
                return Err(self.tab_error());
            }
        }
        // Async hacks: a line indented no deeper than an `async def` whose
        // header has ended closes it.
        if let Some((indent, true)) = self.async_def {
            if indent + 1 >= self.indents.len() {
                self.async_def = None;
            }
        }
        Ok(None)
    }

    /// A comment from `start` to the end of the line, with type comments
    /// on (CPython's rules: `#`, blanks, `type:`, blanks; `ignore` followed
    /// by nothing or by an ASCII non-alphanumeric character is a type
    /// ignore, recorded and skipped, with its line's newline when the
    /// comment is alone on its line). Returns a `TypeComment` token, or
    /// None for an ordinary comment or a type ignore.
    fn type_comment(&mut self, start: usize) -> Option<Token> {
        let comment = &self.b[start..self.pos];
        let mut p = 0;
        for &c in b"# type: " {
            if p >= comment.len() {
                return None;
            }
            if c == b' ' {
                while p < comment.len() && matches!(comment[p], b' ' | b'\t') {
                    p += 1;
                }
            } else if comment[p] == c {
                p += 1;
            } else {
                return None;
            }
        }
        let rest = &comment[p..];
        let is_ignore = rest.starts_with(b"ignore") && !(rest.len() > 6 && (rest[6] >= 0x80 || rest[6].is_ascii_alphanumeric()));
        if is_ignore {
            let tag = String::from_utf8_lossy(&rest[6..]).into_owned();
            self.type_ignores.push((self.lineno, tag));
            if self.blank_line && self.peek(0) == b'\n' {
                self.pos += 1;
                self.new_line();
                self.at_bol = true;
            }
            return None;
        }
        // The newline after a type comment is a NEWLINE even on a line
        // that holds nothing else (as in CPython, whose blank-line flag is
        // per call).
        self.blank_line = false;
        self.emitted_any = true;
        let ls = self.line_start;
        let mut t = self.tok(Tok::TypeComment, start + p, self.lineno, ls);
        t.start = (start + p) as u32;
        Some(t)
    }

    fn tab_error(&mut self) -> ParseError {
        let line = self.lineno;
        self.err(ErrorKind::TabError, "inconsistent use of tabs and spaces in indentation".into(), line, 1)
    }

    #[inline(always)]
    fn token_at(&mut self, start: usize, c: u8) -> Result<Token, ParseError> {
        let lineno = self.lineno;
        let ls = self.line_start;
        // Identifiers, keywords, string prefixes.
        if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            // String prefix?
            let mut i = 0;
            let (mut saw_b, mut saw_r, mut saw_u, mut saw_f) = (false, false, false, false);
            loop {
                let ch = self.peek(i);
                match ch {
                    b'b' | b'B' if !saw_b && !saw_u && !saw_f => saw_b = true,
                    b'r' | b'R' if !saw_r && !saw_u => saw_r = true,
                    b'u' | b'U' if !saw_b && !saw_r && !saw_u && !saw_f => saw_u = true,
                    b'f' | b'F' if !saw_f && !saw_b && !saw_u => saw_f = true,
                    b'"' | b'\'' => {
                        self.pos += i;
                        return self.string(start, lineno, ls);
                    }
                    _ => break,
                }
                i += 1;
            }
            let mut all_ascii = true;
            while self.pos < self.b.len() {
                let ch = self.b[self.pos];
                if ch.is_ascii_alphanumeric() || ch == b'_' {
                    self.pos += 1;
                } else if ch >= 0x80 {
                    all_ascii = false;
                    self.pos += 1;
                } else {
                    break;
                }
            }
            if !all_ascii {
                self.verify_identifier(start)?;
            }
            let text = &self.b[start..self.pos];
            let mut kind = keyword(text).unwrap_or(Tok::Name);
            if self.async_hacks && matches!(kind, Tok::Async | Tok::Await) && self.async_def.is_none() {
                kind = Tok::Name;
                if text == b"async" {
                    let mut q = self.pos;
                    while matches!(self.b.get(q), Some(b' ' | b'\t' | b'\x0c')) {
                        q += 1;
                    }
                    let rest = &self.b[q..];
                    if rest.starts_with(b"def") && !rest.get(3).is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80) {
                        kind = Tok::Async;
                        self.async_def = Some((self.indents.len() - 1, false));
                    }
                }
            }
            return Ok(self.tok(kind, start, lineno, ls));
        }
        if c.is_ascii_digit() || (c == b'.' && self.peek(1).is_ascii_digit()) {
            return self.number(start, lineno, ls);
        }
        if c == b'"' || c == b'\'' {
            return self.string(start, lineno, ls);
        }
        // Operators: longest match first.
        let c1 = self.peek(1);
        let c2 = self.peek(2);
        let (kind, len) = match (c, c1, c2) {
            (b'.', b'.', b'.') => (Tok::Ellipsis, 3),
            (b'*', b'*', b'=') => (Tok::DoubleStarEqual, 3),
            (b'/', b'/', b'=') => (Tok::DoubleSlashEqual, 3),
            (b'<', b'<', b'=') => (Tok::LeftShiftEqual, 3),
            (b'>', b'>', b'=') => (Tok::RightShiftEqual, 3),
            (b'=', b'=', _) => (Tok::EqEqual, 2),
            (b'!', b'=', _) => (Tok::NotEqual, 2),
            (b'<', b'=', _) => (Tok::LessEqual, 2),
            (b'>', b'=', _) => (Tok::GreaterEqual, 2),
            (b'<', b'<', _) => (Tok::LeftShift, 2),
            (b'>', b'>', _) => (Tok::RightShift, 2),
            (b'*', b'*', _) => (Tok::DoubleStar, 2),
            (b'/', b'/', _) => (Tok::DoubleSlash, 2),
            (b'+', b'=', _) => (Tok::PlusEqual, 2),
            (b'-', b'=', _) => (Tok::MinEqual, 2),
            (b'*', b'=', _) => (Tok::StarEqual, 2),
            (b'/', b'=', _) => (Tok::SlashEqual, 2),
            (b'%', b'=', _) => (Tok::PercentEqual, 2),
            (b'&', b'=', _) => (Tok::AmperEqual, 2),
            (b'|', b'=', _) => (Tok::VBarEqual, 2),
            (b'^', b'=', _) => (Tok::CircumflexEqual, 2),
            (b'@', b'=', _) => (Tok::AtEqual, 2),
            (b'-', b'>', _) => (Tok::RArrow, 2),
            (b':', b'=', _) => (Tok::ColonEqual, 2),
            (b'(', _, _) => (Tok::LPar, 1),
            (b')', _, _) => (Tok::RPar, 1),
            (b'[', _, _) => (Tok::LSqb, 1),
            (b']', _, _) => (Tok::RSqb, 1),
            (b'{', _, _) => (Tok::LBrace, 1),
            (b'}', _, _) => (Tok::RBrace, 1),
            (b':', _, _) => (Tok::Colon, 1),
            (b',', _, _) => (Tok::Comma, 1),
            (b';', _, _) => (Tok::Semi, 1),
            (b'+', _, _) => (Tok::Plus, 1),
            (b'-', _, _) => (Tok::Minus, 1),
            (b'*', _, _) => (Tok::Star, 1),
            (b'/', _, _) => (Tok::Slash, 1),
            (b'|', _, _) => (Tok::VBar, 1),
            (b'&', _, _) => (Tok::Amper, 1),
            (b'<', _, _) => (Tok::Less, 1),
            (b'>', _, _) => (Tok::Greater, 1),
            (b'=', _, _) => (Tok::Equal, 1),
            (b'.', _, _) => (Tok::Dot, 1),
            (b'%', _, _) => (Tok::Percent, 1),
            (b'~', _, _) => (Tok::Tilde, 1),
            (b'^', _, _) => (Tok::Circumflex, 1),
            (b'@', _, _) => (Tok::At, 1),
            _ => (Tok::ErrorToken, 1),
        };
        if kind == Tok::ErrorToken && c < 0x20 && c != b'\r' {
            let off = self.chars_between(ls, start) + 1;
            return Err(self.err(ErrorKind::SyntaxError, format!("invalid non-printable character U+{:04X}", c), lineno, off));
        }
        self.pos += len;
        match kind {
            Tok::LPar | Tok::LSqb | Tok::LBrace => {
                if self.parens.len() >= MAX_LEVEL {
                    return Err(self.err_at_cur("too many nested parentheses".into(), self.pos));
                }
                self.parens.push((c, lineno, (start - ls) as u32));
            }
            Tok::RPar | Tok::RSqb | Tok::RBrace => match self.parens.pop() {
                None => {
                    return Err(self.err_at_cur(format!("unmatched '{}'", c as char), self.pos));
                }
                Some((open, open_line, _)) => {
                    let expected = match open {
                        b'(' => b')',
                        b'[' => b']',
                        _ => b'}',
                    };
                    if c != expected {
                        let msg = if open_line != lineno {
                            format!(
                                "closing parenthesis '{}' does not match opening parenthesis '{}' on line {}",
                                c as char, open as char, open_line
                            )
                        } else {
                            format!("closing parenthesis '{}' does not match opening parenthesis '{}'", c as char, open as char)
                        };
                        return Err(self.err_at_cur(msg, self.pos));
                    }
                }
            },
            _ => {}
        }
        Ok(self.tok(kind, start, lineno, ls))
    }

    /// Checks a non-ASCII identifier; CPython reports the first character
    /// that cannot be part of one as "invalid character".
    fn verify_identifier(&mut self, start: usize) -> Result<(), ParseError> {
        let text = &self.src[start..self.pos];
        if crate::source::has_escapes(text) {
            // CPython decodes the identifier's bytes and reports the
            // failure at the end of the token.
            let msg = crate::source::utf8_error_message(&crate::source::unescape(text)).unwrap_or_default();
            let off = self.pegen_offset(self.lineno, (self.pos - self.line_start) as u32, 0);
            let line = self.lineno;
            return Err(self.err(ErrorKind::SyntaxError, format!("(unicode error) {msg}"), line, off));
        }
        let mut first = true;
        for (i, ch) in text.char_indices() {
            let ok = if first { crate::unicode::is_xid_start(ch as u32) || ch == '_' } else { crate::unicode::is_xid_continue(ch as u32) };
            first = false;
            if !ok {
                // CPython first NFKC-normalises; a character that normalises
                // into valid identifier characters is fine.
                let norm = crate::unicode::nfkc(&text[i..i + ch.len_utf8()]);
                let norm_ok = !norm.is_empty()
                    && norm.chars().enumerate().all(|(j, nc)| {
                        if i == 0 && j == 0 {
                            crate::unicode::is_xid_start(nc as u32) || nc == '_'
                        } else {
                            crate::unicode::is_xid_continue(nc as u32)
                        }
                    });
                if norm_ok {
                    continue;
                }
                let bad = start + i;
                self.pos = bad + ch.len_utf8();
                let off = self.chars_between(self.line_start, bad) + 1;
                let msg = if crate::unicode::is_printable(ch as u32) {
                    format!("invalid character '{}' (U+{:04X})", ch, ch as u32)
                } else {
                    format!("invalid non-printable character U+{:04X}", ch as u32)
                };
                let line = self.lineno;
                return Err(self.err(ErrorKind::SyntaxError, msg, line, off));
            }
        }
        Ok(())
    }

    fn digits(&mut self, is_digit: fn(u8) -> bool) -> bool {
        // Reads digits with single underscores between them. Returns false
        // on a misplaced underscore (pos is left after the underscore).
        loop {
            while is_digit(self.peek(0)) {
                self.pos += 1;
            }
            if self.peek(0) != b'_' {
                return true;
            }
            self.pos += 1;
            if !is_digit(self.peek(0)) {
                return false;
            }
        }
    }

    fn number_error(&mut self, kind: &str) -> ParseError {
        self.err_at_cur(format!("invalid {kind} literal"), self.pos)
    }

    /// CPython's `verify_end_of_number`: a number directly followed by a
    /// name character is an error, except before some keywords.
    fn end_of_number(&mut self, kind: &str) -> Result<(), ParseError> {
        let c = self.peek(0);
        let rest = &self.b[self.pos..];
        let allowed = rest.starts_with(b"and")
            || rest.starts_with(b"else")
            || rest.starts_with(b"for")
            || rest.starts_with(b"if")
            || rest.starts_with(b"in")
            || rest.starts_with(b"is")
            || rest.starts_with(b"or")
            || rest.starts_with(b"not");
        if allowed {
            return Ok(());
        }
        // 3.11 checks ASCII only: a non-ASCII character after a number
        // starts a new (identifier) token.
        if c.is_ascii_alphanumeric() || c == b'_' {
            // CPython reports at the character before the offending one.
            let p = self.pos;
            return Err(self.err_at_cur(format!("invalid {kind} literal"), p));
        }
        Ok(())
    }

    #[inline(never)]
    fn number(&mut self, start: usize, lineno: u32, ls: usize) -> Result<Token, ParseError> {
        let c = self.peek(0);
        if c == b'0' && matches!(self.peek(1), b'x' | b'X' | b'o' | b'O' | b'b' | b'B') {
            let radix = self.peek(1).to_ascii_lowercase();
            self.pos += 2;
            let (kind, is_digit): (&str, fn(u8) -> bool) = match radix {
                b'x' => ("hexadecimal", |c: u8| c.is_ascii_hexdigit()),
                b'o' => ("octal", |c: u8| (b'0'..=b'7').contains(&c)),
                _ => ("binary", |c: u8| c == b'0' || c == b'1'),
            };
            if self.peek(0) == b'_' {
                self.pos += 1;
            }
            if !is_digit(self.peek(0)) {
                let d = self.peek(0);
                if radix != b'x' && d.is_ascii_digit() {
                    self.pos += 1;
                    return Err(self.err_at_cur(format!("invalid digit '{}' in {kind} literal", d as char), self.pos));
                }
                return Err(self.number_error(kind));
            }
            if !self.digits(is_digit) {
                // After an underscore: a decimal digit outside the radix
                // is named (`0b1_2`).
                let d = self.peek(0);
                if radix != b'x' && d.is_ascii_digit() {
                    self.pos += 1;
                    return Err(self.err_at_cur(format!("invalid digit '{}' in {kind} literal", d as char), self.pos));
                }
                return Err(self.number_error(kind));
            }
            let d = self.peek(0);
            if radix != b'x' && d.is_ascii_digit() {
                self.pos += 1;
                return Err(self.err_at_cur(format!("invalid digit '{}' in {kind} literal", d as char), self.pos));
            }
            self.end_of_number(kind)?;
            return Ok(self.tok(Tok::Number, start, lineno, ls));
        }
        if c == b'.' {
            // ".5"
            self.pos += 1;
            if !self.digits(|c| c.is_ascii_digit()) {
                return Err(self.number_error("decimal"));
            }
        } else {
            let leading_zero = c == b'0';
            if !self.digits(|c| c.is_ascii_digit()) {
                return Err(self.number_error("decimal"));
            }
            if leading_zero {
                let text = &self.b[start..self.pos];
                let nonzero = text.iter().any(|&d| d != b'0' && d != b'_');
                let next = self.peek(0);
                if nonzero && !matches!(next, b'.' | b'e' | b'E' | b'j' | b'J') {
                    // "leading zeros ..." spans the whole literal.
                    let off = self.chars_between(ls, start) + 1;
                    return Err(self.err(
                        ErrorKind::SyntaxError,
                        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers".into(),
                        lineno,
                        off,
                    ));
                }
            }
            if self.peek(0) == b'.' {
                self.pos += 1;
                if self.peek(0).is_ascii_digit() && !self.digits(|c| c.is_ascii_digit()) {
                    return Err(self.number_error("decimal"));
                }
            }
        }
        if matches!(self.peek(0), b'e' | b'E') {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(0), b'+' | b'-') {
                self.pos += 1;
                if !self.peek(0).is_ascii_digit() {
                    // Reported after the sign.
                    return Err(self.number_error("decimal"));
                }
            } else if !self.peek(0).is_ascii_digit() {
                self.pos = save;
                self.end_of_number("decimal")?;
                return Ok(self.tok(Tok::Number, start, lineno, ls));
            }
            if !self.digits(|c| c.is_ascii_digit()) {
                return Err(self.number_error("decimal"));
            }
        }
        if matches!(self.peek(0), b'j' | b'J') {
            self.pos += 1;
            self.end_of_number("imaginary")?;
        } else {
            self.end_of_number("decimal")?;
        }
        Ok(self.tok(Tok::Number, start, lineno, ls))
    }

    /// Scans a string literal whose opening quote is at `self.pos`
    /// (prefix, if any, starts at `start`).
    #[inline(never)]
    fn string(&mut self, start: usize, lineno: u32, ls: usize) -> Result<Token, ParseError> {
        let quote = self.peek(0);
        let triple = self.peek(1) == quote && self.peek(2) == quote;
        let quote_pos = self.pos;
        self.pos += if triple { 3 } else { 1 };
        let start_line_start = ls;
        loop {
            if self.pos >= self.b.len() {
                return Err(self.unterminated(triple, lineno, start_line_start, quote_pos, start));
            }
            let ch = self.b[self.pos];
            if ch == quote {
                if !triple {
                    self.pos += 1;
                    break;
                }
                if self.peek(1) == quote && self.peek(2) == quote {
                    self.pos += 3;
                    break;
                }
                self.pos += 1;
            } else if ch == b'\\' {
                self.pos += 1;
                if self.pos >= self.b.len() {
                    return Err(self.unterminated(triple, lineno, start_line_start, quote_pos, start));
                }
                if self.b[self.pos] == b'\n' {
                    self.pos += 1;
                    self.new_line();
                } else {
                    self.pos += 1;
                }
            } else if ch == b'\n' {
                if !triple {
                    return Err(self.unterminated(triple, lineno, start_line_start, quote_pos, start));
                }
                self.pos += 1;
                self.new_line();
            } else {
                self.pos += 1;
            }
        }
        Ok(self.tok(Tok::String, start, lineno, ls))
    }

    fn unterminated(&mut self, triple: bool, lineno: u32, ls: usize, _quote_pos: usize, start: usize) -> ParseError {
        let detected = if self.pos >= self.b.len() && self.b.last() == Some(&b'\n') && !triple { self.lineno - 1 } else { self.lineno };
        let detected = if triple {
            self.lineno.max(lineno) - u32::from(self.pos >= self.b.len() && self.b.last() == Some(&b'\n') && self.lineno > lineno)
        } else {
            detected.max(lineno)
        };
        let off = self.chars_between(ls, start) + 1;
        let msg = if triple {
            format!("unterminated triple-quoted string literal (detected at line {detected})")
        } else {
            format!("unterminated string literal (detected at line {detected})")
        };
        self.err(ErrorKind::SyntaxError, msg, lineno, off)
    }
}
