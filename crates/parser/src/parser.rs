//! The parser: tokens to [`ast`] nodes, following CPython 3.11's grammar
//! (`Grammar/python.gram`) rule by rule, by hand-written recursive descent.
//!
//! Locations follow pegen's `EXTRA` convention: a node spans from the first
//! token its rule consumed to the last one (so `(a).b` starts at the `(`,
//! and an unparenthesised tuple with a trailing comma ends after the comma).
//! That is why rules record a start *token index*, not a child's location.
//!
//! Errors: the first pass of CPython's parser reports "invalid syntax" at the
//! furthest token it read; its second pass reports specific messages from
//! `invalid_*` rules. Here both happen in one pass: where a rule fails, it
//! checks the conditions of the matching `invalid_*` rules and raises their
//! message, else the generic error at the furthest token read.

use crate::ast::*;
use crate::error::{ErrorKind, ParseError};
use crate::tokenizer::{Tok, Token, Tokenizer};

pub type PResult<T> = Result<T, ParseError>;

/// Recursion bound for nested expressions and blocks, so that deeply nested
/// input raises instead of overflowing the native stack (CPython: "too many
/// nested parentheses" from the tokenizer covers most of it; this catches
/// the rest, e.g. `not not not ...` or `-----...1`).
const MAX_DEPTH: u32 = 3000;

thread_local! {
    /// A token buffer kept between parses: a large fresh buffer per file
    /// costs page faults that showed up as a tenth of parse time.
    static TOKEN_POOL: std::cell::RefCell<Vec<Token>> = const { std::cell::RefCell::new(Vec::new()) };
}

pub struct Parser<'s> {
    tz: Tokenizer<'s>,
    pub(crate) src: &'s str,
    toks: Vec<Token>,
    /// How many tokens of `toks` the parser has requested.
    hi: usize,
    /// A tokenizer error met while filling ahead: the index of its error
    /// token, the error, and whether it is an end of input in brackets. It
    /// surfaces when the parser requests that token.
    pending_error: Option<(usize, ParseError, bool)>,
    tz_failed: bool,
    /// Tokens below this index can be handed out without side effects
    /// (produced, and no tokenizer error to surface among them).
    safe: usize,
    pos: usize,
    /// Tokenizer error met while filling `toks`; it wins over syntax errors.
    tok_error: Option<ParseError>,
    /// Added to every line number (f-string sub-parsers).
    pub(crate) line_offset: u32,
    /// Added to columns of tokens on the first line (f-string sub-parsers).
    pub(crate) first_line_col: u32,
    /// Nesting of (), [], {} at the current position, for messages that
    /// CPython gives only inside brackets.
    depth: u32,
    /// True in an f-string expression's sub-parser: errors get "f-string: ".
    pub(crate) in_fstring: bool,
    pub(crate) fstring_depth: u32,
    /// Bracket nesting level of the first `levels.len()` tokens (see
    /// `level_of`).
    levels: Vec<u16>,
    fill_level: u16,
    /// The tokenizer met the end of input inside brackets: CPython's
    /// "'(' was never closed", reported only if nothing more specific is.
    eof_in_parens: Option<ParseError>,
    /// Second pass: CPython's `invalid_*` rules are enabled.
    invalid_mode: bool,
    /// The last generic error made, to tell it from specific ones.
    last_generic: Option<ParseError>,
    /// Memo of `disjunction` and `bitwise_or` results in the second pass,
    /// which re-parses the same prefix under several alternatives.
    memo: std::collections::HashMap<(usize, u8), Result<(Expr, usize), ParseError>>,
    /// `PyCF_TYPE_COMMENTS`: the tokenizer makes `TypeComment` tokens.
    type_comments: bool,
    /// `feature_version`'s minor version (`ast.parse(...,
    /// feature_version=(3, N))`): newer syntax raises CPython's "... only
    /// supported in Python 3.N and greater".
    pub(crate) feature_version: u32,
}

fn is_aug(t: Tok) -> Option<Operator> {
    Some(match t {
        Tok::PlusEqual => Operator::Add,
        Tok::MinEqual => Operator::Sub,
        Tok::StarEqual => Operator::Mult,
        Tok::AtEqual => Operator::MatMult,
        Tok::SlashEqual => Operator::Div,
        Tok::PercentEqual => Operator::Mod,
        Tok::AmperEqual => Operator::BitAnd,
        Tok::VBarEqual => Operator::BitOr,
        Tok::CircumflexEqual => Operator::BitXor,
        Tok::LeftShiftEqual => Operator::LShift,
        Tok::RightShiftEqual => Operator::RShift,
        Tok::DoubleStarEqual => Operator::Pow,
        Tok::DoubleSlashEqual => Operator::FloorDiv,
        _ => return None,
    })
}

impl<'s> Parser<'s> {
    pub fn new(src: &'s str) -> Parser<'s> {
        Parser {
            tz: Tokenizer::new(src),
            src,
            toks: TOKEN_POOL.with(|pool| std::mem::take(&mut *pool.borrow_mut())),
            hi: 0,
            pending_error: None,
            tz_failed: false,
            safe: 0,
            pos: 0,
            tok_error: None,
            line_offset: 0,
            first_line_col: 0,
            depth: 0,
            in_fstring: false,
            fstring_depth: 0,
            levels: Vec::new(),
            fill_level: 0,
            eof_in_parens: None,
            invalid_mode: false,
            last_generic: None,
            memo: std::collections::HashMap::new(),
            type_comments: false,
            feature_version: 11,
        }
    }

    /// A parser with `ast.parse`'s options: type comments, and the
    /// `feature_version` minor (below 7, `async`/`await` are names outside
    /// `async def`, CPython's async hacks).
    pub fn with_options(src: &'s str, type_comments: bool, feature_version: u32) -> Parser<'s> {
        let mut p = Parser::new(src);
        p.type_comments = type_comments;
        p.tz.type_comments = type_comments;
        p.feature_version = feature_version;
        p.tz.async_hacks = feature_version < 7;
        p
    }

    /// CPython's `CHECK_VERSION`: syntax new in 3.`minor` is an error under
    /// an older `feature_version`, at the last token read.
    fn check_version(&mut self, minor: u32, what: &str) -> PResult<()> {
        if self.feature_version >= minor {
            return Ok(());
        }
        let t = self.last_token();
        Err(self.raise_at(ErrorKind::SyntaxError, &format!("{what} only supported in Python 3.{minor} and greater"), &t))
    }

    /// An optional `TYPE_COMMENT` token's text.
    fn opt_type_comment(&mut self) -> TypeComment {
        if self.type_comments && self.peek() == Tok::TypeComment {
            let t = self.bump();
            return Some(Box::new(self.text(&t).to_string()));
        }
        None
    }

    /// `func_type_comment` after a def's `:`: `NEWLINE TYPE_COMMENT
    /// &(NEWLINE INDENT)` or `TYPE_COMMENT`; two of them is an error.
    fn func_type_comment(&mut self) -> PResult<TypeComment> {
        if !self.type_comments {
            return Ok(None);
        }
        match self.peek() {
            Tok::Newline if self.peek_n(1) == Tok::TypeComment && self.peek_n(2) == Tok::Newline && self.peek_n(3) == Tok::Indent => {
                self.bump();
                Ok(self.opt_type_comment())
            }
            Tok::TypeComment => {
                if self.peek_n(1) == Tok::Newline
                    && self.peek_n(2) == Tok::TypeComment
                    && self.peek_n(3) == Tok::Newline
                    && self.peek_n(4) == Tok::Indent
                {
                    let t = self.tok_at(self.pos + 4);
                    return Err(self.raise_at(ErrorKind::SyntaxError, "Cannot have two type comments on def", &t));
                }
                Ok(self.opt_type_comment())
            }
            _ => Ok(None),
        }
    }

    /// The `# type: ignore` comments the tokenizer met.
    pub fn take_type_ignores(&mut self) -> Vec<TypeIgnore> {
        std::mem::take(&mut self.tz.type_ignores).into_iter().map(|(lineno, tag)| TypeIgnore { lineno, tag }).collect()
    }

    /// `mode='func_type'`: `'(' [type_expressions] ')' '->' expression
    /// NEWLINE* ENDMARKER`, as (argtypes, returns).
    pub fn parse_func_type(&mut self) -> PResult<(Vec<Expr>, Expr)> {
        let r = self.func_type_inner();
        match r {
            Ok(v) => {
                if let Some(e) = &self.tok_error {
                    return Err(e.clone());
                }
                Ok(v)
            }
            Err(e) => Err(self.tok_error.clone().unwrap_or(e)),
        }
    }

    fn func_type_inner(&mut self) -> PResult<(Vec<Expr>, Expr)> {
        self.expect(Tok::LPar)?;
        self.depth += 1;
        let mut argtypes = Vec::new();
        // type_expressions: expressions, then optionally `*expr` and/or
        // `**expr`, last.
        let (mut star, mut dstar) = (false, false);
        while self.peek() != Tok::RPar {
            if dstar {
                return self.invalid_syntax();
            }
            match self.peek() {
                Tok::Star if !star => {
                    self.bump();
                    star = true;
                }
                Tok::DoubleStar => {
                    self.bump();
                    dstar = true;
                }
                _ if star => return self.invalid_syntax(),
                _ => {}
            }
            argtypes.push(self.expression()?);
            if !self.eat(Tok::Comma) {
                break;
            }
            if self.peek() == Tok::RPar && (star || dstar) {
                return self.invalid_syntax();
            }
        }
        self.depth -= 1;
        self.expect(Tok::RPar)?;
        self.expect(Tok::RArrow)?;
        let returns = self.expression()?;
        while self.eat(Tok::Newline) {}
        self.expect(Tok::EndMarker)?;
        Ok((argtypes, returns))
    }

    // ----- token access -------------------------------------------------

    /// Tokens the parser has requested so far: `toks[..hi]` (CPython's
    /// `p->fill`). `toks` itself is filled ahead in batches.
    #[cold]
    #[inline(never)]
    fn request(&mut self, i: usize) -> Token {
        while self.hi <= i {
            if self.hi == self.toks.len() {
                self.produce();
            }
            if let Some((idx, _, _)) = &self.pending_error {
                if *idx == self.hi {
                    let (_, e, eof) = self.pending_error.take().unwrap_or_else(|| unreachable!());
                    if eof {
                        self.eof_in_parens = Some(e);
                    } else {
                        self.tok_error = Some(e);
                    }
                }
            }
            self.hi += 1;
        }
        self.safe = match &self.pending_error {
            Some((idx, _, _)) => *idx,
            None => self.toks.len(),
        };
        self.toks[i]
    }

    /// Bracket nesting level of token `i` (CPython's `tok->level` when the
    /// token was produced). Computed on demand: only error rules ask.
    fn level_of(&mut self, i: usize) -> u16 {
        while self.levels.len() <= i && self.levels.len() < self.toks.len() {
            match self.toks[self.levels.len()].kind {
                Tok::LPar | Tok::LSqb | Tok::LBrace => self.fill_level += 1,
                Tok::RPar | Tok::RSqb | Tok::RBrace => self.fill_level = self.fill_level.saturating_sub(1),
                _ => {}
            }
            self.levels.push(self.fill_level);
        }
        self.levels.get(i).copied().unwrap_or(self.fill_level)
    }

    /// Appends a batch of tokens to `toks` (at least one).
    fn produce(&mut self) {
        let from = self.toks.len();
        if self.tz_failed {
            // After a tokenizer error, every further token repeats the
            // error token.
            let last = self.toks[from - 1];
            self.toks.push(last);
            return;
        }
        let r = self.tz.next_batch(&mut self.toks, 256);
        let shift = self.line_offset != 0 || self.first_line_col != 0;
        for t in &mut self.toks[from..] {
            if shift {
                if t.lineno == 1 {
                    t.col += self.first_line_col;
                }
                if t.end_lineno == 1 {
                    t.end_col += self.first_line_col;
                }
                t.lineno += self.line_offset;
                t.end_lineno += self.line_offset;
            }
        }
        if let Err(e) = r {
            self.tz_failed = true;
            let eof = self.tz.at_eof_in_parens();
            let last = self.toks.last().copied().unwrap_or(Token {
                kind: Tok::EndMarker,
                start: 0,
                end: 0,
                lineno: 1,
                col: 0,
                end_lineno: 1,
                end_col: 0,
            });
            let p = self.src.len() as u32;
            self.pending_error = Some((self.toks.len(), e, eof));
            self.toks.push(Token { kind: Tok::ErrorToken, start: p, end: p, ..last });
        }
    }

    #[inline]
    fn tok_at(&mut self, i: usize) -> Token {
        if i < self.hi {
            return self.toks[i];
        }
        if i < self.safe {
            self.hi = i + 1;
            return self.toks[i];
        }
        self.request(i)
    }

    #[inline]
    fn peek(&mut self) -> Tok {
        self.tok_at(self.pos).kind
    }

    #[inline]
    fn peek_n(&mut self, n: usize) -> Tok {
        self.tok_at(self.pos + n).kind
    }

    #[inline]
    fn cur(&mut self) -> Token {
        self.tok_at(self.pos)
    }

    #[inline]
    fn bump(&mut self) -> Token {
        let t = self.tok_at(self.pos);
        self.pos += 1;
        t
    }

    #[inline]
    fn eat(&mut self, k: Tok) -> bool {
        if self.peek() == k {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn text(&self, t: &Token) -> &'s str {
        &self.src[t.start as usize..t.end as usize]
    }

    fn is_name(&mut self, s: &str) -> bool {
        if self.peek() != Tok::Name {
            return false;
        }
        let t = self.toks[self.pos];
        self.text(&t) == s
    }

    /// Location from token index `start` to the last consumed token.
    fn loc_from(&self, start: usize) -> Loc {
        let a = &self.toks[start];
        // pegen: the last consumed token that is not NEWLINE/INDENT/DEDENT.
        let mut i = self.pos.max(start + 1) - 1;
        while i > start && matches!(self.toks[i].kind, Tok::Newline | Tok::Indent | Tok::Dedent) {
            i -= 1;
        }
        let b = &self.toks[i];
        Loc { lineno: a.lineno, col_offset: a.col, end_lineno: b.end_lineno, end_col_offset: b.end_col }
    }

    /// The furthest token read so far (CPython's `p->tokens[p->fill-1]`).
    pub(crate) fn last_token(&mut self) -> Token {
        if self.hi == 0 {
            self.request(0);
        }
        self.toks[self.hi - 1]
    }

    fn tok_loc(t: &Token) -> Loc {
        Loc { lineno: t.lineno, col_offset: t.col, end_lineno: t.end_lineno, end_col_offset: t.end_col }
    }

    // ----- errors -------------------------------------------------------

    /// The generic error: "invalid syntax" at the furthest token read.
    fn invalid_syntax<T>(&mut self) -> PResult<T> {
        let e = self.generic_error();
        self.last_generic = Some(e.clone());
        Err(e)
    }

    fn is_generic(&self, e: &ParseError) -> bool {
        self.last_generic.as_ref() == Some(e)
    }

    /// An error of one of CPython's `invalid_*` rules: raised in the second
    /// pass only; the first pass just fails.
    fn invalid<T>(&mut self, e: ParseError) -> PResult<T> {
        if self.invalid_mode {
            Err(e)
        } else {
            self.invalid_syntax()
        }
    }

    /// The generic error: "invalid syntax" at the furthest token read.
    pub(crate) fn generic_error(&mut self) -> ParseError {
        if let Some(e) = &self.tok_error {
            return e.clone();
        }
        let t = self.last_token();
        match t.kind {
            Tok::Indent => self.raise_at(ErrorKind::IndentationError, "unexpected indent", &t),
            Tok::Dedent => self.raise_at(ErrorKind::IndentationError, "unexpected unindent", &t),
            _ => {
                let msg = if self.in_fstring { "f-string: invalid syntax" } else { "invalid syntax" };
                if t.kind == Tok::EndMarker {
                    // CPython's ENDMARKER has column -1: offset 0.
                    return ParseError::new(ErrorKind::SyntaxError, msg, t.lineno, 0);
                }
                self.raise_at(ErrorKind::SyntaxError, msg, &t)
            }
        }
    }

    /// An error located at token `t` (CPython's `RAISE_ERROR_KNOWN_LOCATION`).
    fn raise_at(&self, kind: ErrorKind, msg: &str, t: &Token) -> ParseError {
        self.raise_at_pos(kind, msg, t.lineno, t.col)
    }

    /// An error at a line and byte column, with CPython's 1-based offset.
    pub(crate) fn raise_at_pos(&self, kind: ErrorKind, msg: &str, lineno: u32, col: u32) -> ParseError {
        let offset = self.char_offset(lineno, col) + 1;
        ParseError::new(kind, msg, lineno, offset)
    }

    fn raise_loc(&self, msg: &str, loc: Loc) -> ParseError {
        self.raise_at_pos(ErrorKind::SyntaxError, msg, loc.lineno, loc.col_offset)
    }

    /// CPython's 0-based error offset for byte column `col` on line
    /// `lineno` (bytes, or characters if an encoding was declared; see
    /// `Tokenizer::pegen_offset`). f-string sub-parsers have no such line,
    /// so their columns are taken as they are.
    fn char_offset(&self, lineno: u32, col: u32) -> i64 {
        if self.in_fstring {
            // CPython reports f-string expression errors relative to the
            // parenthesised expression string.
            if lineno == self.line_offset + 1 {
                return col as i64 - self.first_line_col as i64;
            }
            return col as i64;
        }
        self.tz.pegen_offset(lineno, col, 1) - 1
    }

    fn expect(&mut self, k: Tok) -> PResult<Token> {
        if self.peek() == k {
            return Ok(self.bump());
        }
        self.invalid_syntax()
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let t = self.cur();
            return Err(self.raise_at(ErrorKind::SyntaxError, "too many nested parentheses", &t));
        }
        Ok(())
    }

    // ----- module -------------------------------------------------------

    pub fn parse_file(&mut self) -> PResult<Mod> {
        let body = self.statements_until(Tok::EndMarker);
        let body = match body {
            Ok(b) => b,
            Err(e) => return Err(self.second_pass(e)),
        };
        if let Some(e) = &self.tok_error {
            return Err(e.clone());
        }
        let type_ignores = self.take_type_ignores();
        Ok(Mod::Module { body, type_ignores })
    }

    /// After a failed first pass, CPython parses again from the start with
    /// its `invalid_*` rules enabled; the first specific error they raise
    /// wins, else the first pass's generic error stands. Then, unless the
    /// tokenizer already failed, the rest of the source is tokenized: a
    /// tokenizer error there replaces the syntax error.
    pub(crate) fn second_pass(&mut self, first: ParseError) -> ParseError {
        if let Some(te) = &self.tok_error {
            return te.clone();
        }
        let mut err = first.clone();
        if self.is_generic(&first) {
            self.invalid_mode = true;
            self.pos = 0;
            self.depth = 0;
            let r = if self.in_fstring { self.star_expressions().map(|_| ()) } else { self.statements_until(Tok::EndMarker).map(|_| ()) };
            self.invalid_mode = false;
            if let Some(te) = &self.tok_error {
                return te.clone();
            }
            match r {
                Err(e) if !self.is_generic(&e) => err = e,
                _ => {
                    if let Some(eof) = &self.eof_in_parens {
                        // The parser stopped at the end of input inside brackets.
                        return eof.clone();
                    }
                }
            }
        }
        if self.eof_in_parens.is_some() {
            return err;
        }
        self.check_rest_of_source(err)
    }

    fn statements_until(&mut self, end: Tok) -> PResult<Vec<Stmt>> {
        let mut body = Vec::new();
        loop {
            let k = self.peek();
            if k == end {
                if end == Tok::EndMarker {
                    return Ok(body);
                }
                self.bump();
                return Ok(body);
            }
            if k == Tok::EndMarker {
                return self.invalid_syntax();
            }
            self.statement(&mut body)?;
        }
    }

    fn statement(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        match self.peek() {
            Tok::Def | Tok::If | Tok::Class | Tok::With | Tok::For | Tok::Try | Tok::While | Tok::At => {
                out.push(self.compound_stmt()?);
                Ok(())
            }
            Tok::Async if matches!(self.peek_n(1), Tok::Def | Tok::With | Tok::For) => {
                out.push(self.compound_stmt()?);
                Ok(())
            }
            Tok::Name if self.is_name("match") => {
                if let Some(s) = self.try_match_stmt()? {
                    out.push(s);
                    return Ok(());
                }
                self.simple_stmts(out)
            }
            _ => self.simple_stmts(out),
        }
    }

    fn simple_stmts(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            let s = self.simple_stmt()?;
            out.push(s);
            match self.peek() {
                Tok::Newline => {
                    self.bump();
                    return Ok(());
                }
                Tok::Semi => {
                    self.bump();
                    if self.peek() == Tok::Newline {
                        self.bump();
                        return Ok(());
                    }
                }
                _ => return self.after_simple_stmt_error(),
            }
        }
    }

    /// A simple statement not followed by `;` or NEWLINE.
    fn after_simple_stmt_error<T>(&mut self) -> PResult<T> {
        self.invalid_syntax()
    }

    /// A block after `:`: simple statements on the same line, or an
    /// indented block. `what` and `line` name the statement for CPython's
    /// "expected an indented block after ..." message.
    fn block(&mut self, what: &str, line: u32) -> PResult<Vec<Stmt>> {
        if self.peek() == Tok::Newline {
            self.bump();
            if self.peek() != Tok::Indent {
                if self.peek() == Tok::ErrorToken {
                    return self.invalid_syntax();
                }
                let t = self.last_token();
                let msg = format!("expected an indented block after {what} on line {line}");
                let e = self.raise_at(ErrorKind::IndentationError, &msg, &t);
                return self.invalid(e);
            }
            self.bump();
            return self.statements_until(Tok::Dedent);
        }
        let mut body = Vec::new();
        self.simple_stmts(&mut body)?;
        Ok(body)
    }

    fn compound_stmt(&mut self) -> PResult<Stmt> {
        self.enter()?;
        let r = match self.peek() {
            Tok::At => self.decorated(),
            Tok::Def => self.funcdef(self.pos, Vec::new(), false),
            Tok::Class => self.classdef(Vec::new()),
            Tok::If => self.if_stmt(),
            Tok::While => self.while_stmt(),
            Tok::For => self.for_stmt(self.pos, false),
            Tok::With => self.with_stmt(self.pos, false),
            Tok::Try => self.try_stmt(),
            Tok::Async => {
                let start = self.pos;
                self.bump();
                match self.peek() {
                    Tok::Def => self.funcdef(start, Vec::new(), true),
                    Tok::For => self.for_stmt(start, true),
                    _ => self.with_stmt(start, true),
                }
            }
            _ => self.invalid_syntax(),
        };
        self.depth -= 1;
        r
    }

    fn decorated(&mut self) -> PResult<Stmt> {
        let mut decorators = Vec::new();
        while self.eat(Tok::At) {
            let e = self.named_expression()?;
            decorators.push(e);
            self.expect(Tok::Newline)?;
        }
        match self.peek() {
            Tok::Def => self.funcdef(self.pos, decorators, false),
            Tok::Async if self.peek_n(1) == Tok::Def => {
                let start = self.pos;
                self.bump();
                self.funcdef(start, decorators, true)
            }
            Tok::Class => self.classdef(decorators),
            _ => self.invalid_syntax(),
        }
    }

    fn name(&mut self) -> PResult<Ident> {
        if self.peek() == Tok::Name {
            let t = self.bump();
            return Ok(self.ident(&t));
        }
        self.invalid_syntax()
    }

    fn ident(&self, t: &Token) -> Ident {
        let s = self.text(t);
        if s.is_ascii() {
            s.into()
        } else {
            crate::unicode::nfkc(s).into_boxed_str()
        }
    }

    fn funcdef(&mut self, start: usize, decorator_list: Vec<Expr>, is_async: bool) -> PResult<Stmt> {
        let def = self.expect(Tok::Def)?;
        let name = self.name()?;
        self.expect_forced(Tok::LPar, "(")?;
        self.depth += 1;
        let args = self.parameters(Tok::RPar, true)?;
        self.depth -= 1;
        self.expect(Tok::RPar)?;
        let returns = if self.peek() == Tok::RArrow {
            let save = self.pos;
            self.bump();
            match self.try_rule(|p| p.expression())? {
                Some(e) => Some(Box::new(e)),
                None => {
                    self.pos = save;
                    None
                }
            }
        } else {
            None
        };
        self.expect_forced(Tok::Colon, ":")?;
        let type_comment = self.func_type_comment()?;
        let body = self.block("function definition", def.lineno)?;
        if is_async {
            self.check_version(5, "Async functions are")?;
        }
        let f = Box::new(FunctionDef { name, args: Box::new(args), body, decorator_list, returns, type_comment });
        let loc = self.loc_from(start);
        Ok(Stmt { kind: if is_async { StmtKind::AsyncFunctionDef(f) } else { StmtKind::FunctionDef(f) }, loc })
    }

    fn classdef(&mut self, decorator_list: Vec<Expr>) -> PResult<Stmt> {
        let start = self.pos;
        let cls = self.expect(Tok::Class)?;
        let name = self.name()?;
        let (mut bases, mut keywords) = (Vec::new(), Vec::new());
        if self.peek() == Tok::LPar {
            self.bump();
            self.depth += 1;
            if self.peek() != Tok::RPar {
                let (b, k) = self.call_arguments(false)?;
                bases = b;
                keywords = k;
            }
            self.depth -= 1;
            self.expect(Tok::RPar)?;
        }
        self.expect_colon()?;
        let body = self.block("class definition", cls.lineno)?;
        let loc = self.loc_from(start);
        Ok(Stmt { kind: StmtKind::ClassDef(Box::new(ClassDef { name, bases, keywords, body, decorator_list })), loc })
    }

    fn if_stmt(&mut self) -> PResult<Stmt> {
        let start = self.pos;
        let t = self.bump(); // if or elif
        let test = self.named_expression()?;
        self.expect_colon()?;
        let what = if t.kind == Tok::If { "'if' statement" } else { "'elif' statement" };
        let body = self.block(what, t.lineno)?;
        let orelse = match self.peek() {
            Tok::Elif => vec![self.if_stmt()?],
            Tok::Else => self.else_block()?,
            _ => Vec::new(),
        };
        let loc = self.loc_from(start);
        Ok(Stmt { kind: StmtKind::If { test: Box::new(test), body, orelse }, loc })
    }

    fn else_block(&mut self) -> PResult<Vec<Stmt>> {
        let t = self.bump();
        self.expect_forced(Tok::Colon, ":")?;
        self.block("'else' statement", t.lineno)
    }

    fn while_stmt(&mut self) -> PResult<Stmt> {
        let start = self.pos;
        let t = self.bump();
        let test = self.named_expression()?;
        self.expect_colon()?;
        let body = self.block("'while' statement", t.lineno)?;
        let orelse = if self.peek() == Tok::Else { self.else_block()? } else { Vec::new() };
        let loc = self.loc_from(start);
        Ok(Stmt { kind: StmtKind::While { test: Box::new(test), body, orelse }, loc })
    }

    fn for_stmt(&mut self, start: usize, is_async: bool) -> PResult<Stmt> {
        let t = self.bump();
        let target = self.star_targets()?;
        if self.peek() != Tok::In {
            return self.invalid_syntax();
        }
        self.bump();
        let iter = self.star_expressions()?;
        self.expect_colon()?;
        let type_comment = self.opt_type_comment();
        let body = self.block("'for' statement", t.lineno)?;
        let orelse = if self.peek() == Tok::Else { self.else_block()? } else { Vec::new() };
        if is_async {
            self.check_version(5, "Async for loops are")?;
        }
        let loc = self.loc_from(start);
        let (target, iter) = (Box::new(target), Box::new(iter));
        let kind = if is_async {
            StmtKind::AsyncFor { target, iter, body, orelse, type_comment }
        } else {
            StmtKind::For { target, iter, body, orelse, type_comment }
        };
        Ok(Stmt { kind, loc })
    }

    fn with_stmt(&mut self, start: usize, is_async: bool) -> PResult<Stmt> {
        let t = self.bump();
        let after_with = self.pos;
        let mut items = Vec::new();
        // Parenthesised form: `with (a as b, c):` — tried first, with backtracking.
        let mut done = false;
        if self.peek() == Tok::LPar {
            let save = self.pos;
            self.bump();
            self.depth += 1;
            let r = self.try_rule(|p| p.with_items_paren());
            self.depth -= 1;
            match r? {
                Some(its) if self.peek() == Tok::Colon => {
                    items = its;
                    done = true;
                }
                _ => self.pos = save,
            }
        }
        if !done {
            let r = self.try_rule(|p| {
                let mut items = Vec::new();
                loop {
                    items.push(p.with_item()?);
                    if !p.eat(Tok::Comma) {
                        return Ok(items);
                    }
                }
            })?;
            match r {
                Some(its) => items = its,
                None if self.invalid_mode => {}
                None => return self.invalid_syntax(),
            }
        }
        if self.peek() != Tok::Colon && self.invalid_mode {
            // invalid_with_stmt: the items, then NEWLINE where ':' belongs.
            self.pos = after_with;
            if self.try_rule(|p| p.with_items_loose())?.is_some() && self.peek() == Tok::Newline {
                let last = self.last_token();
                return Err(self.raise_at(ErrorKind::SyntaxError, "expected ':'", &last));
            }
            return self.invalid_syntax();
        }
        self.expect_colon()?;
        let type_comment = if done { None } else { self.opt_type_comment() };
        let body = self.block("'with' statement", t.lineno)?;
        if is_async {
            self.check_version(5, "Async with statements are")?;
        } else if done {
            self.check_version(9, "Parenthesized context managers are")?;
        }
        let loc = self.loc_from(start);
        let kind = if is_async { StmtKind::AsyncWith { items, body, type_comment } } else { StmtKind::With { items, body, type_comment } };
        Ok(Stmt { kind, loc })
    }

    fn with_items_paren(&mut self) -> PResult<Vec<WithItem>> {
        let mut items = Vec::new();
        loop {
            items.push(self.with_item()?);
            if !self.eat(Tok::Comma) {
                break;
            }
            if self.peek() == Tok::RPar {
                break;
            }
        }
        self.expect(Tok::RPar)?;
        Ok(items)
    }

    fn with_item(&mut self) -> PResult<WithItem> {
        let context_expr = self.expression()?;
        let optional_vars = if self.peek() == Tok::As {
            let save = self.pos;
            self.bump();
            let t = self.try_rule(|p| p.star_target())?;
            match t {
                Some(t) if matches!(self.peek(), Tok::Comma | Tok::RPar | Tok::Colon) => Some(Box::new(t)),
                _ => {
                    if self.invalid_mode {
                        // invalid_with_item: expression 'as' a=expression &(',' | ')' | ':')
                        self.pos = save + 1;
                        if let Some(a) = self.try_rule(|p| p.expression())? {
                            if matches!(self.peek(), Tok::Comma | Tok::RPar | Tok::Colon) {
                                if let Some(e) = self.invalid_target_error(&a, TargetKind::Star) {
                                    return Err(e);
                                }
                            }
                        }
                    }
                    // The item is just the expression; 'as' is left unread.
                    self.pos = save;
                    None
                }
            }
        } else {
            None
        };
        Ok(WithItem { context_expr, optional_vars })
    }

    fn try_stmt(&mut self) -> PResult<Stmt> {
        let start = self.pos;
        let t = self.bump();
        self.expect_forced(Tok::Colon, ":")?;
        let body = self.block("'try' statement", t.lineno)?;
        let mut handlers = Vec::new();
        let mut star = None;
        while self.peek() == Tok::Except {
            let hstart = self.pos;
            let et = self.bump();
            let is_star = self.peek() == Tok::Star;
            if is_star {
                self.bump();
            }
            if let Some(prev) = star {
                if prev != is_star {
                    let e = self.raise_at(ErrorKind::SyntaxError, "cannot have both 'except' and 'except*' on the same 'try'", &et);
                    return self.invalid(e);
                }
            }
            star = Some(is_star);
            let (type_, name) = if matches!(self.peek(), Tok::Colon | Tok::Newline) {
                if is_star || self.peek() == Tok::Newline {
                    let msg = if is_star { "expected one or more exception types" } else { "expected ':'" };
                    let last = self.last_token();
                    let e = self.raise_at(ErrorKind::SyntaxError, msg, &last);
                    return self.invalid(e);
                }
                (None, None)
            } else {
                let e = self.expression()?;
                if self.peek() == Tok::Comma && self.invalid_mode {
                    // `except A, B:` (CPython: invalid_except_stmt)
                    let save = self.pos;
                    self.bump();
                    if self.try_rule(|p| p.expressions_list())?.is_some() {
                        if self.eat(Tok::As) {
                            self.name()?;
                        }
                        if self.peek() == Tok::Colon {
                            return Err(self.raise_loc("multiple exception types must be parenthesized", e.loc));
                        }
                    }
                    self.pos = save;
                }
                let name = if self.eat(Tok::As) { Some(self.name()?) } else { None };
                (Some(Box::new(e)), name)
            };
            self.expect_colon()?;
            let what = if is_star { "'except*' statement" } else { "'except' statement" };
            let hbody = self.block(what, et.lineno)?;
            handlers.push(ExceptHandler { type_, name, body: hbody, loc: self.loc_from(hstart) });
        }
        let orelse = if self.peek() == Tok::Else && !handlers.is_empty() { self.else_block()? } else { Vec::new() };
        let finalbody = if self.peek() == Tok::Finally {
            let ft = self.bump();
            self.expect_forced(Tok::Colon, ":")?;
            self.block("'finally' statement", ft.lineno)?
        } else {
            Vec::new()
        };
        if handlers.is_empty() && finalbody.is_empty() {
            let t = self.last_token();
            let e = self.raise_at(ErrorKind::SyntaxError, "expected 'except' or 'finally' block", &t);
            return self.invalid(e);
        }
        if star == Some(true) {
            self.check_version(11, "Exception groups are")?;
        }
        let loc = self.loc_from(start);
        let tr = Box::new(Try { body, handlers, orelse, finalbody });
        Ok(Stmt { kind: if star == Some(true) { StmtKind::TryStar(tr) } else { StmtKind::Try(tr) }, loc })
    }

    // ----- match --------------------------------------------------------

    /// `match` is a soft keyword: a match statement only if what follows
    /// parses as `subject ':' NEWLINE`; otherwise it is a name.
    fn try_match_stmt(&mut self) -> PResult<Option<Stmt>> {
        let start = self.pos;
        let kw = self.bump();
        // Quick rejections: `match = ...`, `match.x`, `match(...)` may be
        // names; decide by trying the subject.
        match self.peek() {
            Tok::Newline | Tok::Equal | Tok::Dot | Tok::Colon | Tok::EndMarker | Tok::Semi | Tok::RPar | Tok::Comma => {
                self.pos = start;
                return Ok(None);
            }
            _ => {}
        }
        if is_aug(self.peek()).is_some() {
            self.pos = start;
            return Ok(None);
        }
        let subject = match self.match_subject() {
            Ok(s) if self.peek() == Tok::Colon => s,
            Ok(_) if self.peek() == Tok::Newline && self.invalid_mode => {
                let last = self.last_token();
                return Err(self.raise_at(ErrorKind::SyntaxError, "expected ':'", &last));
            }
            _ => {
                if self.tok_error.is_some() {
                    return self.invalid_syntax();
                }
                self.pos = start;
                return Ok(None);
            }
        };
        self.bump(); // ':'
        if self.peek() != Tok::Newline {
            return self.invalid_syntax();
        }
        self.bump();
        if self.peek() != Tok::Indent {
            let t = self.cur();
            let msg = format!("expected an indented block after 'match' statement on line {}", kw.lineno);
            return Err(self.raise_at(ErrorKind::IndentationError, &msg, &t));
        }
        self.bump();
        let mut cases = Vec::new();
        while self.peek() != Tok::Dedent {
            if !self.is_name("case") {
                return self.invalid_syntax();
            }
            cases.push(self.case_block()?);
        }
        self.bump();
        self.check_version(10, "Pattern matching is")?;
        let loc = self.loc_from(start);
        Ok(Some(Stmt { kind: StmtKind::Match { subject: Box::new(subject), cases }, loc }))
    }

    fn match_subject(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let first = if self.peek() == Tok::Star { self.star_expression_item()? } else { self.named_expression()? };
        if self.peek() != Tok::Comma {
            if matches!(first.kind, ExprKind::Starred { .. }) {
                return self.invalid_syntax();
            }
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat(Tok::Comma) {
            if self.peek() == Tok::Colon {
                break;
            }
            elts.push(if self.peek() == Tok::Star { self.star_expression_item()? } else { self.named_expression()? });
        }
        Ok(Expr { kind: ExprKind::Tuple { elts, ctx: ExprContext::Load }, loc: self.loc_from(start) })
    }

    fn case_block(&mut self) -> PResult<MatchCase> {
        let kw = self.bump();
        let pattern = self.patterns()?;
        let guard = if self.eat(Tok::If) { Some(Box::new(self.named_expression()?)) } else { None };
        self.expect_colon()?;
        let body = self.block("'case' statement", kw.lineno)?;
        Ok(MatchCase { pattern, guard, body })
    }

    fn patterns(&mut self) -> PResult<Pattern> {
        let start = self.pos;
        let first = self.maybe_star_pattern()?;
        if self.peek() != Tok::Comma {
            if matches!(first.kind, PatternKind::MatchStar { .. }) {
                return Ok(Pattern { kind: PatternKind::MatchSequence { patterns: vec![first] }, loc: self.loc_from(start) });
            }
            return Ok(first);
        }
        let mut patterns = vec![first];
        while self.eat(Tok::Comma) {
            if matches!(self.peek(), Tok::Colon | Tok::If) {
                break;
            }
            patterns.push(self.maybe_star_pattern()?);
        }
        Ok(Pattern { kind: PatternKind::MatchSequence { patterns }, loc: self.loc_from(start) })
    }

    fn maybe_star_pattern(&mut self) -> PResult<Pattern> {
        if self.peek() == Tok::Star {
            let start = self.pos;
            self.bump();
            let t = self.expect(Tok::Name)?;
            let n = self.ident(&t);
            let name = if &*n == "_" { None } else { Some(n) };
            return Ok(Pattern { kind: PatternKind::MatchStar { name }, loc: self.loc_from(start) });
        }
        self.pattern()
    }

    /// pattern: as_pattern | or_pattern
    fn pattern(&mut self) -> PResult<Pattern> {
        let start = self.pos;
        let p = self.or_pattern()?;
        if self.peek() == Tok::As {
            self.bump();
            if self.peek() != Tok::Name || matches!(self.peek_n(1), Tok::Dot | Tok::LPar | Tok::Equal) {
                if self.invalid_mode && self.peek() != Tok::Name {
                    if let Some(a) = self.try_rule(|p| p.expression())? {
                        return Err(self.raise_loc("invalid pattern target", a.loc));
                    }
                }
                return self.invalid_syntax();
            }
            let t = self.bump();
            let n = self.ident(&t);
            if &*n == "_" {
                let e = self.raise_at(ErrorKind::SyntaxError, "cannot use '_' as a target", &t);
                return self.invalid(e);
            }
            return Ok(Pattern { kind: PatternKind::MatchAs { pattern: Some(Box::new(p)), name: Some(n) }, loc: self.loc_from(start) });
        }
        Ok(p)
    }

    fn or_pattern(&mut self) -> PResult<Pattern> {
        let start = self.pos;
        let first = self.closed_pattern()?;
        if self.peek() != Tok::VBar {
            return Ok(first);
        }
        let mut patterns = vec![first];
        while self.eat(Tok::VBar) {
            patterns.push(self.closed_pattern()?);
        }
        Ok(Pattern { kind: PatternKind::MatchOr { patterns }, loc: self.loc_from(start) })
    }

    fn closed_pattern(&mut self) -> PResult<Pattern> {
        self.enter()?;
        let r = self.closed_pattern_inner();
        self.depth -= 1;
        r
    }

    fn closed_pattern_inner(&mut self) -> PResult<Pattern> {
        let start = self.pos;
        match self.peek() {
            Tok::Name => {
                let t = self.bump();
                let n = self.ident(&t);
                if self.peek() == Tok::Dot || self.peek() == Tok::LPar {
                    // value pattern (dotted name) or class pattern
                    let mut e = Expr { kind: ExprKind::Name { id: n, ctx: ExprContext::Load }, loc: Self::tok_loc(&t) };
                    while self.eat(Tok::Dot) {
                        let attr = self.name()?;
                        e = Expr {
                            kind: ExprKind::Attribute { value: Box::new(e), attr, ctx: ExprContext::Load },
                            loc: self.loc_from(start),
                        };
                    }
                    if self.peek() == Tok::LPar {
                        return self.class_pattern(start, e);
                    }
                    return Ok(Pattern { kind: PatternKind::MatchValue { value: Box::new(e) }, loc: self.loc_from(start) });
                }
                let name = if &*n == "_" { None } else { Some(n) };
                Ok(Pattern { kind: PatternKind::MatchAs { pattern: None, name }, loc: self.loc_from(start) })
            }
            Tok::None | Tok::True | Tok::False => {
                let t = self.bump();
                let value = match t.kind {
                    Tok::None => Constant::None,
                    Tok::True => Constant::Bool(true),
                    _ => Constant::Bool(false),
                };
                Ok(Pattern { kind: PatternKind::MatchSingleton { value }, loc: self.loc_from(start) })
            }
            Tok::LPar | Tok::LSqb => {
                let open = self.bump();
                let close = if open.kind == Tok::LPar { Tok::RPar } else { Tok::RSqb };
                self.depth += 1;
                let mut patterns = Vec::new();
                let mut trailing_comma = false;
                while self.peek() != close {
                    patterns.push(self.maybe_star_pattern()?);
                    trailing_comma = false;
                    if !self.eat(Tok::Comma) {
                        break;
                    }
                    trailing_comma = true;
                }
                self.depth -= 1;
                self.expect(close)?;
                if open.kind == Tok::LPar
                    && patterns.len() == 1
                    && !trailing_comma
                    && !matches!(patterns[0].kind, PatternKind::MatchStar { .. })
                {
                    // group pattern: the inner pattern, location unchanged
                    return Ok(patterns.pop().unwrap_or_else(|| unreachable!()));
                }
                Ok(Pattern { kind: PatternKind::MatchSequence { patterns }, loc: self.loc_from(start) })
            }
            Tok::LBrace => self.mapping_pattern(),
            _ => {
                // literal pattern: signed numbers, complex, strings
                let value = self.literal_pattern_expr()?;
                Ok(Pattern { kind: PatternKind::MatchValue { value: Box::new(value) }, loc: self.loc_from(start) })
            }
        }
    }

    fn literal_pattern_expr(&mut self) -> PResult<Expr> {
        let start = self.pos;
        match self.peek() {
            Tok::String => self.strings(),
            Tok::Number | Tok::Minus => {
                let mut left = self.signed_number()?;
                if matches!(self.peek(), Tok::Plus | Tok::Minus) {
                    let op = if self.bump().kind == Tok::Plus { Operator::Add } else { Operator::Sub };
                    if self.peek() != Tok::Number {
                        return self.invalid_syntax();
                    }
                    let nt = self.bump();
                    let right = self.number_expr(&nt)?;
                    let left_value = match &left.kind {
                        ExprKind::UnaryOp { operand, .. } => operand,
                        _ => &left,
                    };
                    if matches!(left_value.kind, ExprKind::Constant { value: Constant::Complex { .. }, .. }) {
                        return Err(self.raise_loc("real number required in complex literal", left_value.loc));
                    }
                    if !matches!(right.kind, ExprKind::Constant { value: Constant::Complex { .. }, .. }) {
                        return Err(self.raise_loc("imaginary number required in complex literal", right.loc));
                    }
                    left = Expr { kind: ExprKind::BinOp { left: Box::new(left), op, right: Box::new(right) }, loc: self.loc_from(start) };
                }
                Ok(left)
            }
            _ => self.invalid_syntax(),
        }
    }

    fn signed_number(&mut self) -> PResult<Expr> {
        let start = self.pos;
        if self.eat(Tok::Minus) {
            if self.peek() != Tok::Number {
                return self.invalid_syntax();
            }
            let nt = self.bump();
            let n = self.number_expr(&nt)?;
            return Ok(Expr { kind: ExprKind::UnaryOp { op: UnaryOp::USub, operand: Box::new(n) }, loc: self.loc_from(start) });
        }
        let nt = self.bump();
        self.number_expr(&nt)
    }

    fn mapping_pattern(&mut self) -> PResult<Pattern> {
        let start = self.pos;
        self.bump();
        self.depth += 1;
        let (mut keys, mut patterns, mut rest) = (Vec::new(), Vec::new(), None);
        while self.peek() != Tok::RBrace {
            if self.eat(Tok::DoubleStar) {
                if self.is_name("_") {
                    return self.invalid_syntax();
                }
                rest = Some(self.name()?);
                self.eat(Tok::Comma);
                break;
            }
            let key = match self.peek() {
                Tok::None | Tok::True | Tok::False => {
                    let t = self.bump();
                    let value = match t.kind {
                        Tok::None => Constant::None,
                        Tok::True => Constant::Bool(true),
                        _ => Constant::Bool(false),
                    };
                    Expr { kind: ExprKind::Constant { value, kind: None }, loc: Self::tok_loc(&t) }
                }
                Tok::Name => {
                    let kstart = self.pos;
                    let t = self.bump();
                    let mut e = Expr { kind: ExprKind::Name { id: self.ident(&t), ctx: ExprContext::Load }, loc: Self::tok_loc(&t) };
                    if self.peek() != Tok::Dot {
                        return self.invalid_syntax();
                    }
                    while self.eat(Tok::Dot) {
                        let attr = self.name()?;
                        e = Expr {
                            kind: ExprKind::Attribute { value: Box::new(e), attr, ctx: ExprContext::Load },
                            loc: self.loc_from(kstart),
                        };
                    }
                    e
                }
                _ => self.literal_pattern_expr()?,
            };
            self.expect(Tok::Colon)?;
            keys.push(key);
            patterns.push(self.pattern()?);
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        self.depth -= 1;
        self.expect(Tok::RBrace)?;
        Ok(Pattern { kind: PatternKind::MatchMapping { keys, patterns, rest }, loc: self.loc_from(start) })
    }

    fn class_pattern(&mut self, start: usize, cls: Expr) -> PResult<Pattern> {
        self.bump(); // (
        self.depth += 1;
        let (mut patterns, mut kwd_attrs, mut kwd_patterns) = (Vec::new(), Vec::new(), Vec::new());
        while self.peek() != Tok::RPar {
            if self.peek() == Tok::Name && self.peek_n(1) == Tok::Equal {
                let t = self.bump();
                kwd_attrs.push(self.ident(&t));
                self.bump();
                kwd_patterns.push(self.pattern()?);
            } else {
                let p = self.pattern()?;
                if !kwd_attrs.is_empty() {
                    return Err(self.raise_loc("positional patterns follow keyword patterns", p.loc));
                }
                patterns.push(p);
            }
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        self.depth -= 1;
        self.expect(Tok::RPar)?;
        Ok(Pattern { kind: PatternKind::MatchClass { cls: Box::new(cls), patterns, kwd_attrs, kwd_patterns }, loc: self.loc_from(start) })
    }

    // ----- simple statements -------------------------------------------

    fn simple_stmt(&mut self) -> PResult<Stmt> {
        let start = self.pos;
        let kind = match self.peek() {
            Tok::Pass => {
                self.bump();
                StmtKind::Pass
            }
            Tok::Break => {
                self.bump();
                StmtKind::Break
            }
            Tok::Continue => {
                self.bump();
                StmtKind::Continue
            }
            Tok::Return => {
                self.bump();
                let value = if self.at_stmt_end() { None } else { Some(Box::new(self.star_expressions()?)) };
                StmtKind::Return { value }
            }
            Tok::Raise => {
                self.bump();
                if self.at_stmt_end() {
                    StmtKind::Raise { exc: None, cause: None }
                } else {
                    let exc = Some(Box::new(self.expression()?));
                    let cause = if self.eat(Tok::From) { Some(Box::new(self.expression()?)) } else { None };
                    StmtKind::Raise { exc, cause }
                }
            }
            Tok::Global | Tok::Nonlocal => {
                let t = self.bump();
                let mut names = vec![self.name()?];
                while self.eat(Tok::Comma) {
                    names.push(self.name()?);
                }
                if t.kind == Tok::Global {
                    StmtKind::Global { names }
                } else {
                    StmtKind::Nonlocal { names }
                }
            }
            Tok::Del => {
                self.bump();
                let targets = self.del_targets()?;
                StmtKind::Delete { targets }
            }
            Tok::Assert => {
                self.bump();
                let test = Box::new(self.expression()?);
                let msg = if self.eat(Tok::Comma) { Some(Box::new(self.expression()?)) } else { None };
                StmtKind::Assert { test, msg }
            }
            Tok::Import => self.import_name()?,
            Tok::From => self.import_from()?,
            _ => return self.expr_or_assign_stmt(),
        };
        Ok(Stmt { kind, loc: self.loc_from(start) })
    }

    fn at_stmt_end(&mut self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::Semi | Tok::EndMarker)
    }

    fn dotted_name(&mut self) -> PResult<Ident> {
        let first = self.name()?;
        if self.peek() != Tok::Dot {
            return Ok(first);
        }
        let mut s = String::from(first);
        while self.peek() == Tok::Dot {
            self.bump();
            s.push('.');
            s.push_str(&self.name()?);
        }
        Ok(s.into_boxed_str())
    }

    fn import_name(&mut self) -> PResult<StmtKind> {
        self.bump();
        let mut names = Vec::new();
        loop {
            let start = self.pos;
            let name = self.dotted_name()?;
            let asname = if self.eat(Tok::As) { Some(self.name()?) } else { None };
            names.push(Alias { name, asname, loc: self.loc_from(start) });
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        Ok(StmtKind::Import { names })
    }

    fn import_from(&mut self) -> PResult<StmtKind> {
        self.bump();
        let mut level = 0;
        loop {
            match self.peek() {
                Tok::Dot => level += 1,
                Tok::Ellipsis => level += 3,
                _ => break,
            }
            self.bump();
        }
        let module = if self.peek() == Tok::Name { Some(self.dotted_name()?) } else { None };
        if module.is_none() && level == 0 {
            return self.invalid_syntax();
        }
        if self.peek() != Tok::Import {
            return self.invalid_syntax();
        }
        self.bump();
        let mut names = Vec::new();
        if self.peek() == Tok::Star {
            let t = self.bump();
            names.push(Alias { name: "*".into(), asname: None, loc: Self::tok_loc(&t) });
            return Ok(StmtKind::ImportFrom { module, names, level });
        }
        let paren = self.eat(Tok::LPar);
        if paren {
            self.depth += 1;
        }
        loop {
            let start = self.pos;
            let name = self.name()?;
            let asname = if self.eat(Tok::As) { Some(self.name()?) } else { None };
            names.push(Alias { name, asname, loc: self.loc_from(start) });
            if !self.eat(Tok::Comma) {
                break;
            }
            if paren && self.peek() == Tok::RPar {
                break;
            }
            if !paren && self.peek() == Tok::Newline {
                let t = self.last_token();
                let e = self.raise_at(ErrorKind::SyntaxError, "trailing comma not allowed without surrounding parentheses", &t);
                return self.invalid(e);
            }
        }
        if paren {
            self.depth -= 1;
            self.expect(Tok::RPar)?;
        }
        Ok(StmtKind::ImportFrom { module, names, level })
    }

    fn del_targets(&mut self) -> PResult<Vec<Expr>> {
        // invalid_del_stmt: 'del' a=star_expressions
        self.targets_or_invalid(|p| p.del_targets_valid(), |t| matches!(t, Tok::Semi | Tok::Newline), TargetKind::Del)
    }

    /// Targets parsed by `valid`, which must be followed by a token
    /// `follows` accepts; otherwise, in the second pass, CPython's
    /// `invalid_*_target` rules re-read them as `star_expressions` and name
    /// the part that is no target.
    fn targets_or_invalid<T>(
        &mut self,
        valid: impl FnOnce(&mut Self) -> PResult<T>,
        follows: impl Fn(Tok) -> bool,
        kind: TargetKind,
    ) -> PResult<T> {
        let start = self.pos;
        if let Some(t) = self.try_rule(valid)? {
            if follows(self.peek()) {
                return Ok(t);
            }
        }
        if self.invalid_mode {
            self.pos = start;
            if let Some(e) = self.try_rule(|p| p.star_expressions())?.and_then(|a| self.invalid_target_error(&a, kind)) {
                return Err(e);
            }
        }
        self.invalid_syntax()
    }

    fn expr_or_assign_stmt(&mut self) -> PResult<Stmt> {
        let start = self.pos;
        let first = if self.peek() == Tok::Yield { self.yield_expr()? } else { self.star_expressions()? };
        match self.peek() {
            Tok::Colon => {
                let paren = self.toks[start].kind == Tok::LPar;
                let simple = !paren && matches!(first.kind, ExprKind::Name { .. });
                if !matches!(first.kind, ExprKind::Name { .. } | ExprKind::Attribute { .. } | ExprKind::Subscript { .. }) {
                    return self.invalid_annotation(first);
                }
                let mut target = first;
                set_ctx(&mut target, ExprContext::Store);
                self.bump();
                let annotation = self.expression()?;
                let value = if self.eat(Tok::Equal) {
                    Some(Box::new(if self.peek() == Tok::Yield { self.yield_expr()? } else { self.star_expressions()? }))
                } else {
                    None
                };
                self.check_version(6, "Variable annotation syntax is")?;
                let loc = self.loc_from(start);
                Ok(Stmt { kind: StmtKind::AnnAssign { target: Box::new(target), annotation: Box::new(annotation), value, simple }, loc })
            }
            Tok::Equal => {
                let mut targets = vec![first];
                let mut value;
                loop {
                    self.bump();
                    value = if self.peek() == Tok::Yield { self.yield_expr()? } else { self.star_expressions()? };
                    if self.peek() != Tok::Equal {
                        break;
                    }
                    targets.push(value);
                }
                if targets.iter().any(|t| invalid_target(t, TargetKind::Star).is_some()) {
                    return self.invalid_assignment(start, &targets);
                }
                for t in targets.iter_mut() {
                    set_ctx(t, ExprContext::Store);
                }
                let type_comment = self.opt_type_comment();
                let loc = self.loc_from(start);
                Ok(Stmt { kind: StmtKind::Assign { targets, value: Box::new(value), type_comment }, loc })
            }
            t if is_aug(t).is_some() => {
                let op = is_aug(t).unwrap_or(Operator::Add);
                if !matches!(first.kind, ExprKind::Name { .. } | ExprKind::Attribute { .. } | ExprKind::Subscript { .. }) {
                    if self.invalid_mode {
                        self.bump();
                        let rhs = if self.peek() == Tok::Yield {
                            self.try_rule(|p| p.yield_expr())?
                        } else {
                            self.try_rule(|p| p.star_expressions())?
                        };
                        if rhs.is_some() {
                            let msg = format!("'{}' is an illegal expression for augmented assignment", describe(&first));
                            return Err(self.raise_loc(&msg, first.loc));
                        }
                    }
                    return self.invalid_syntax();
                }
                let mut target = first;
                set_ctx(&mut target, ExprContext::Store);
                self.bump();
                if op == Operator::MatMult {
                    self.check_version(5, "The '@' operator is")?;
                }
                let value = if self.peek() == Tok::Yield { self.yield_expr()? } else { self.star_expressions()? };
                let loc = self.loc_from(start);
                Ok(Stmt { kind: StmtKind::AugAssign { target: Box::new(target), op, value: Box::new(value) }, loc })
            }
            _ => {
                let loc = self.loc_from(start);
                Ok(Stmt { kind: StmtKind::Expr { value: Box::new(first) }, loc })
            }
        }
    }

    // ----- targets ------------------------------------------------------

    /// star_targets for `for` loops and comprehensions. In the second
    /// pass an invalid target raises CPython's "cannot assign to ...".
    fn star_targets(&mut self) -> PResult<Expr> {
        // invalid_for_target: 'for' a=star_expressions
        self.targets_or_invalid(|p| p.star_targets_valid(), |t| t == Tok::In, TargetKind::For)
    }

    fn star_target(&mut self) -> PResult<Expr> {
        let start = self.pos;
        if self.eat(Tok::Star) {
            if self.peek() == Tok::Star {
                return self.invalid_syntax();
            }
            let inner = self.star_target()?;
            return Ok(Expr { kind: ExprKind::Starred { value: Box::new(inner), ctx: ExprContext::Store }, loc: self.loc_from(start) });
        }
        let mut e = self.bitwise_or()?;
        if invalid_target(&e, TargetKind::Star).is_some() {
            return self.invalid_syntax();
        }
        set_ctx(&mut e, ExprContext::Store);
        Ok(e)
    }

    // ----- expressions ---------------------------------------------------

    pub(crate) fn star_expressions(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let first = self.star_expression_item()?;
        if self.peek() != Tok::Comma {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat(Tok::Comma) {
            if !self.starts_expression() {
                break;
            }
            elts.push(self.star_expression_item()?);
        }
        Ok(Expr { kind: ExprKind::Tuple { elts, ctx: ExprContext::Load }, loc: self.loc_from(start) })
    }

    fn starts_expression(&mut self) -> bool {
        matches!(
            self.peek(),
            Tok::Name
                | Tok::Number
                | Tok::String
                | Tok::LPar
                | Tok::LSqb
                | Tok::LBrace
                | Tok::Minus
                | Tok::Plus
                | Tok::Tilde
                | Tok::Star
                | Tok::Not
                | Tok::Lambda
                | Tok::Await
                | Tok::None
                | Tok::True
                | Tok::False
                | Tok::Ellipsis
        )
    }

    fn star_expression_item(&mut self) -> PResult<Expr> {
        if self.peek() == Tok::Star {
            let start = self.pos;
            self.bump();
            let v = self.bitwise_or()?;
            return Ok(Expr { kind: ExprKind::Starred { value: Box::new(v), ctx: ExprContext::Load }, loc: self.loc_from(start) });
        }
        self.expression()
    }

    fn star_named_expression(&mut self) -> PResult<Expr> {
        if self.peek() == Tok::Star {
            let start = self.pos;
            self.bump();
            let v = self.bitwise_or()?;
            return Ok(Expr { kind: ExprKind::Starred { value: Box::new(v), ctx: ExprContext::Load }, loc: self.loc_from(start) });
        }
        self.named_expression()
    }

    pub(crate) fn named_expression(&mut self) -> PResult<Expr> {
        if self.peek() == Tok::Name && self.peek_n(1) == Tok::ColonEqual {
            let start = self.pos;
            let t = self.bump();
            let target = Expr { kind: ExprKind::Name { id: self.ident(&t), ctx: ExprContext::Store }, loc: Self::tok_loc(&t) };
            self.bump();
            let value = self.expression()?;
            self.check_version(8, "Assignment expressions are")?;
            return Ok(Expr { kind: ExprKind::NamedExpr { target: Box::new(target), value: Box::new(value) }, loc: self.loc_from(start) });
        }
        if self.invalid_mode {
            self.invalid_named_expression()?;
        }
        let e = self.expression()?;
        if self.peek() == Tok::ColonEqual {
            return self.invalid_syntax();
        }
        Ok(e)
    }

    pub(crate) fn expression(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = if self.invalid_mode { self.invalid_expression().and_then(|_| self.expression_inner()) } else { self.expression_inner() };
        self.depth -= 1;
        r
    }

    #[inline(always)]
    fn expression_inner(&mut self) -> PResult<Expr> {
        if self.peek() == Tok::Lambda {
            return self.lambdef();
        }
        let start = self.pos;
        let body = self.disjunction()?;
        if self.peek() == Tok::If {
            self.bump();
            let test = self.disjunction()?;
            if self.peek() != Tok::Else {
                return self.invalid_syntax();
            }
            self.bump();
            let orelse = self.expression()?;
            return Ok(Expr {
                kind: ExprKind::IfExp { test: Box::new(test), body: Box::new(body), orelse: Box::new(orelse) },
                loc: self.loc_from(start),
            });
        }
        Ok(body)
    }

    fn lambdef(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.bump();
        let args = if self.peek() == Tok::Colon { Arguments::default() } else { self.parameters(Tok::Colon, false)? };
        self.expect(Tok::Colon)?;
        let body = self.expression()?;
        Ok(Expr { kind: ExprKind::Lambda { args: Box::new(args), body: Box::new(body) }, loc: self.loc_from(start) })
    }

    #[inline]
    fn disjunction_inner(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let first = self.conjunction()?;
        if self.peek() != Tok::Or {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat(Tok::Or) {
            values.push(self.conjunction()?);
        }
        Ok(Expr { kind: ExprKind::BoolOp { op: BoolOp::Or, values }, loc: self.loc_from(start) })
    }

    #[inline(always)]
    fn conjunction(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let first = self.inversion()?;
        if self.peek() != Tok::And {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat(Tok::And) {
            values.push(self.inversion()?);
        }
        Ok(Expr { kind: ExprKind::BoolOp { op: BoolOp::And, values }, loc: self.loc_from(start) })
    }

    // The common path through the expression rules (no `not`, no unary
    // operator) is inlined into one frame; results are large, and moving
    // them through a frame per grammar level dominated parse time.
    #[inline(always)]
    fn inversion(&mut self) -> PResult<Expr> {
        if self.peek() == Tok::Not {
            return self.not_expr();
        }
        self.comparison()
    }

    #[inline(never)]
    fn not_expr(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.bump();
        self.enter()?;
        let operand = self.inversion();
        self.depth -= 1;
        let operand = operand?;
        Ok(Expr { kind: ExprKind::UnaryOp { op: UnaryOp::Not, operand: Box::new(operand) }, loc: self.loc_from(start) })
    }

    #[inline(always)]
    fn comparison(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let left = self.bitwise_or()?;
        let mut ops = Vec::new();
        let mut comparators = Vec::new();
        loop {
            let op = match self.peek() {
                Tok::EqEqual => CmpOp::Eq,
                Tok::NotEqual => CmpOp::NotEq,
                Tok::Less => CmpOp::Lt,
                Tok::LessEqual => CmpOp::LtE,
                Tok::Greater => CmpOp::Gt,
                Tok::GreaterEqual => CmpOp::GtE,
                Tok::In => CmpOp::In,
                Tok::Not if self.peek_n(1) == Tok::In => {
                    self.bump();
                    CmpOp::NotIn
                }
                Tok::Is => {
                    if self.peek_n(1) == Tok::Not {
                        self.bump();
                        CmpOp::IsNot
                    } else {
                        CmpOp::Is
                    }
                }
                _ => break,
            };
            self.bump();
            ops.push(op);
            comparators.push(self.bitwise_or()?);
        }
        if ops.is_empty() {
            return Ok(left);
        }
        Ok(Expr { kind: ExprKind::Compare(Box::new(Compare { left, ops, comparators })), loc: self.loc_from(start) })
    }

    /// The binary-operator rules from `bitwise_or` down to `term`, by
    /// precedence climbing: operators binding at least as tight as `min`
    /// (0 = `|` ... 5 = `*`), all left-associative. One call per operand
    /// instead of one per grammar level keeps the hot path shallow.
    fn binop_level(&mut self, min: u8) -> PResult<Expr> {
        let start = self.pos;
        let mut left = self.unary()?;
        loop {
            let (op, prec) = match self.peek() {
                Tok::VBar => (Operator::BitOr, 0),
                Tok::Circumflex => (Operator::BitXor, 1),
                Tok::Amper => (Operator::BitAnd, 2),
                Tok::LeftShift => (Operator::LShift, 3),
                Tok::RightShift => (Operator::RShift, 3),
                Tok::Plus => (Operator::Add, 4),
                Tok::Minus => (Operator::Sub, 4),
                Tok::Star => (Operator::Mult, 5),
                Tok::Slash => (Operator::Div, 5),
                Tok::DoubleSlash => (Operator::FloorDiv, 5),
                Tok::Percent => (Operator::Mod, 5),
                Tok::At => (Operator::MatMult, 5),
                _ => break,
            };
            if prec < min {
                break;
            }
            self.bump();
            let right = if prec == 5 { self.unary()? } else { self.binop_level(prec + 1)? };
            if op == Operator::MatMult {
                self.check_version(5, "The '@' operator is")?;
            }
            left = Expr { kind: ExprKind::BinOp { left: Box::new(left), op, right: Box::new(right) }, loc: self.loc_from(start) };
        }
        Ok(left)
    }

    #[inline(always)]
    fn unary(&mut self) -> PResult<Expr> {
        match self.peek() {
            Tok::Plus | Tok::Minus | Tok::Tilde => self.unary_op(),
            _ => self.power(),
        }
    }

    #[inline(never)]
    fn unary_op(&mut self) -> PResult<Expr> {
        let op = match self.peek() {
            Tok::Plus => UnaryOp::UAdd,
            Tok::Minus => UnaryOp::USub,
            _ => UnaryOp::Invert,
        };
        let start = self.pos;
        self.bump();
        self.enter()?;
        let operand = self.unary();
        self.depth -= 1;
        let operand = operand?;
        Ok(Expr { kind: ExprKind::UnaryOp { op, operand: Box::new(operand) }, loc: self.loc_from(start) })
    }

    #[inline(always)]
    fn power(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let base = self.await_primary()?;
        if self.peek() == Tok::DoubleStar {
            self.bump();
            self.enter()?;
            let exp = self.unary();
            self.depth -= 1;
            let exp = exp?;
            return Ok(Expr {
                kind: ExprKind::BinOp { left: Box::new(base), op: Operator::Pow, right: Box::new(exp) },
                loc: self.loc_from(start),
            });
        }
        Ok(base)
    }

    #[inline(always)]
    fn await_primary(&mut self) -> PResult<Expr> {
        if self.peek() == Tok::Await {
            let start = self.pos;
            self.bump();
            let v = self.primary()?;
            self.check_version(5, "Await expressions are")?;
            return Ok(Expr { kind: ExprKind::Await { value: Box::new(v) }, loc: self.loc_from(start) });
        }
        self.primary()
    }

    fn primary(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let mut e = self.atom()?;
        loop {
            match self.peek() {
                Tok::Dot => {
                    self.bump();
                    let attr = self.name()?;
                    e = Expr { kind: ExprKind::Attribute { value: Box::new(e), attr, ctx: ExprContext::Load }, loc: self.loc_from(start) };
                }
                Tok::LPar => {
                    self.bump();
                    self.depth += 1;
                    let (args, keywords) = if self.peek() == Tok::RPar { (Vec::new(), Vec::new()) } else { self.call_arguments(true)? };
                    self.depth -= 1;
                    self.expect(Tok::RPar)?;
                    e = Expr { kind: ExprKind::Call(Box::new(Call { func: e, args, keywords })), loc: self.loc_from(start) };
                }
                Tok::LSqb => {
                    self.bump();
                    self.depth += 1;
                    let slice = self.slices()?;
                    self.depth -= 1;
                    self.expect(Tok::RSqb)?;
                    e = Expr {
                        kind: ExprKind::Subscript { value: Box::new(e), slice: Box::new(slice), ctx: ExprContext::Load },
                        loc: self.loc_from(start),
                    };
                }
                _ => return Ok(e),
            }
        }
    }

    fn slices(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let first = self.slice_item()?;
        if self.peek() != Tok::Comma && !matches!(first.kind, ExprKind::Starred { .. }) {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat(Tok::Comma) {
            if self.peek() == Tok::RSqb {
                break;
            }
            elts.push(self.slice_item()?);
        }
        Ok(Expr { kind: ExprKind::Tuple { elts, ctx: ExprContext::Load }, loc: self.loc_from(start) })
    }

    fn slice_item(&mut self) -> PResult<Expr> {
        let start = self.pos;
        if self.peek() == Tok::Star {
            return self.star_expression_item();
        }
        let walrus = self.peek() == Tok::Name && self.peek_n(1) == Tok::ColonEqual;
        let lower = if self.peek() == Tok::Colon { None } else { Some(self.named_expression()?) };
        if self.peek() != Tok::Colon {
            return lower.map_or_else(|| self.invalid_syntax(), Ok);
        }
        if walrus {
            return self.invalid_syntax();
        }
        self.bump();
        let upper = if matches!(self.peek(), Tok::Colon | Tok::Comma | Tok::RSqb) { None } else { Some(Box::new(self.expression()?)) };
        let step = if self.eat(Tok::Colon) {
            if matches!(self.peek(), Tok::Comma | Tok::RSqb) {
                None
            } else {
                Some(Box::new(self.expression()?))
            }
        } else {
            None
        };
        Ok(Expr { kind: ExprKind::Slice { lower: lower.map(Box::new), upper, step }, loc: self.loc_from(start) })
    }

    fn atom(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let t = self.cur();
        let kind = match t.kind {
            Tok::Name => {
                self.bump();
                ExprKind::Name { id: self.ident(&t), ctx: ExprContext::Load }
            }
            Tok::True | Tok::False | Tok::None | Tok::Ellipsis => {
                self.bump();
                let value = match t.kind {
                    Tok::True => Constant::Bool(true),
                    Tok::False => Constant::Bool(false),
                    Tok::None => Constant::None,
                    _ => Constant::Ellipsis,
                };
                ExprKind::Constant { value, kind: None }
            }
            Tok::Number => {
                self.bump();
                return self.number_expr(&t);
            }
            Tok::String => return self.strings(),
            Tok::LPar => return self.paren_atom(),
            Tok::LSqb => return self.list_atom(),
            Tok::LBrace => return self.brace_atom(),
            _ => return self.invalid_syntax(),
        };
        Ok(Expr { kind, loc: self.loc_from(start) })
    }

    fn number_expr(&mut self, t: &Token) -> PResult<Expr> {
        let text = self.text(t);
        if let Some(digits) = crate::literal::int_digits_over_limit(text) {
            // CPython gives no column here (offset 0).
            return Err(ParseError::new(ErrorKind::SyntaxError, crate::literal::int_limit_message(digits), t.lineno, 0));
        }
        if self.feature_version < 6 && text.contains('_') {
            return Err(self.raise_at(
                ErrorKind::SyntaxError,
                "Underscores in numeric literals are only supported in Python 3.6 and greater",
                t,
            ));
        }
        match crate::literal::parse_number(text) {
            Some(value) => Ok(Expr { kind: ExprKind::Constant { value, kind: None }, loc: Self::tok_loc(t) }),
            None => Err(self.raise_at(ErrorKind::SyntaxError, "invalid number literal", t)),
        }
    }

    fn strings(&mut self) -> PResult<Expr> {
        let start = self.pos;
        while self.peek() == Tok::String {
            self.bump();
        }
        let toks: Vec<Token> = self.toks[start..self.pos].to_vec();
        crate::fstring::concatenate(self, &toks)
    }

    pub(crate) fn token_text(&self, t: &Token) -> &'s str {
        self.text(t)
    }

    fn paren_atom(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.bump();
        self.depth += 1;
        let r = self.paren_atom_inner(start);
        self.depth -= 1;
        r
    }

    fn paren_atom_inner(&mut self, start: usize) -> PResult<Expr> {
        if self.eat(Tok::RPar) {
            return Ok(Expr { kind: ExprKind::Tuple { elts: Vec::new(), ctx: ExprContext::Load }, loc: self.loc_from(start) });
        }
        if self.peek() == Tok::Yield {
            let e = self.yield_expr()?;
            self.expect(Tok::RPar)?;
            return Ok(e);
        }
        if self.peek() == Tok::DoubleStar && self.invalid_mode {
            // invalid_group: '(' a='**' expression ')'
            let t = self.bump();
            if self.try_rule(|p| p.expression())?.is_some() && self.peek() == Tok::RPar {
                return Err(self.raise_at(ErrorKind::SyntaxError, "cannot use double starred expression here", &t));
            }
            return self.invalid_syntax();
        }
        let first = self.star_named_expression()?;
        match self.peek() {
            Tok::RPar => {
                self.bump();
                if let ExprKind::Starred { .. } = first.kind {
                    let e = self.raise_loc("cannot use starred expression here", first.loc);
                    return self.invalid(e);
                }
                Ok(first)
            }
            Tok::For | Tok::Async => {
                self.check_comprehension_element(&first)?;
                let generators = self.comprehension_clauses()?;
                self.expect(Tok::RPar)?;
                Ok(Expr { kind: ExprKind::GeneratorExp(Box::new(Comp { elt: first, generators })), loc: self.loc_from(start) })
            }
            Tok::Comma => {
                let mut elts = vec![first];
                while self.eat(Tok::Comma) {
                    if self.peek() == Tok::RPar {
                        break;
                    }
                    elts.push(self.star_named_expression()?);
                }
                self.expect(Tok::RPar)?;
                Ok(Expr { kind: ExprKind::Tuple { elts, ctx: ExprContext::Load }, loc: self.loc_from(start) })
            }
            _ => self.invalid_syntax(),
        }
    }

    fn list_atom(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.bump();
        self.depth += 1;
        let mut elts = Vec::new();
        if self.peek() != Tok::RSqb {
            let first = self.star_named_expression()?;
            if matches!(self.peek(), Tok::For | Tok::Async) {
                self.check_comprehension_element(&first)?;
                let generators = self.comprehension_clauses()?;
                self.depth -= 1;
                self.expect(Tok::RSqb)?;
                return Ok(Expr { kind: ExprKind::ListComp(Box::new(Comp { elt: first, generators })), loc: self.loc_from(start) });
            }
            elts = self.display_elements(first, Tok::RSqb)?;
        }
        self.depth -= 1;
        self.expect(Tok::RSqb)?;
        Ok(Expr { kind: ExprKind::List { elts, ctx: ExprContext::Load }, loc: self.loc_from(start) })
    }

    fn brace_atom(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.bump();
        self.depth += 1;
        let r = self.brace_atom_inner(start);
        self.depth -= 1;
        r
    }

    fn brace_atom_inner(&mut self, start: usize) -> PResult<Expr> {
        if self.eat(Tok::RBrace) {
            return Ok(Expr { kind: ExprKind::Dict(Box::new(Dict { keys: Vec::new(), values: Vec::new() })), loc: self.loc_from(start) });
        }
        if self.peek() == Tok::DoubleStar {
            if self.invalid_mode {
                // invalid_dict_comprehension: '{' a='**' bitwise_or for_if_clauses '}'
                let save = self.pos;
                let t = self.bump();
                if self.try_rule(|p| p.bitwise_or())?.is_some()
                    && matches!(self.peek(), Tok::For | Tok::Async)
                    && self.try_rule(|p| p.comprehension_clauses())?.is_some()
                    && self.peek() == Tok::RBrace
                {
                    return Err(self.raise_at(ErrorKind::SyntaxError, "dict unpacking cannot be used in dict comprehension", &t));
                }
                self.pos = save;
            }
            return self.dict_rest(start, Vec::new(), Vec::new());
        }
        let first = self.star_named_expression()?;
        if self.peek() == Tok::Colon && !matches!(first.kind, ExprKind::Starred { .. }) {
            let colon = self.bump();
            let value = match self.dict_value(&colon)? {
                Some(v) => v,
                None => return self.invalid_syntax(),
            };
            if matches!(self.peek(), Tok::For | Tok::Async) {
                let generators = self.comprehension_clauses()?;
                self.expect(Tok::RBrace)?;
                return Ok(Expr {
                    kind: ExprKind::DictComp(Box::new(DictComp { key: first, value, generators })),
                    loc: self.loc_from(start),
                });
            }
            return self.dict_rest(start, vec![Some(first)], vec![value]);
        }
        if matches!(self.peek(), Tok::For | Tok::Async) {
            self.check_comprehension_element(&first)?;
            let generators = self.comprehension_clauses()?;
            self.expect(Tok::RBrace)?;
            return Ok(Expr { kind: ExprKind::SetComp(Box::new(Comp { elt: first, generators })), loc: self.loc_from(start) });
        }
        let elts = self.display_elements(first, Tok::RBrace)?;
        self.expect(Tok::RBrace)?;
        Ok(Expr { kind: ExprKind::Set { elts }, loc: self.loc_from(start) })
    }

    fn dict_rest(&mut self, start: usize, mut keys: Vec<Option<Expr>>, mut values: Vec<Expr>) -> PResult<Expr> {
        if !keys.is_empty() && !self.eat(Tok::Comma) {
            self.expect(Tok::RBrace)?;
            return Ok(Expr { kind: ExprKind::Dict(Box::new(Dict { keys, values })), loc: self.loc_from(start) });
        }
        loop {
            if self.peek() == Tok::RBrace {
                break;
            }
            if self.eat(Tok::DoubleStar) {
                keys.push(None);
                values.push(self.bitwise_or()?);
            } else {
                let k = self.expression()?;
                if self.peek() != Tok::Colon {
                    // invalid_kvpair: a=expression !(':')
                    // CPython locates it at the key's last byte.
                    let e = self.raise_at_pos(
                        ErrorKind::SyntaxError,
                        "':' expected after dictionary key",
                        k.loc.end_lineno,
                        k.loc.end_col_offset.saturating_sub(1),
                    );
                    return self.invalid(e);
                }
                let colon = self.bump();
                keys.push(Some(k));
                match self.dict_value(&colon)? {
                    Some(v) => values.push(v),
                    None => return self.invalid_syntax(),
                }
            }
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        self.expect(Tok::RBrace)?;
        Ok(Expr { kind: ExprKind::Dict(Box::new(Dict { keys, values })), loc: self.loc_from(start) })
    }

    fn comprehension_clauses(&mut self) -> PResult<Vec<Comprehension>> {
        let mut gens = Vec::new();
        while matches!(self.peek(), Tok::For | Tok::Async) {
            let is_async = self.eat(Tok::Async);
            self.expect(Tok::For)?;
            let target = self.star_targets()?;
            if self.peek() != Tok::In {
                return self.invalid_syntax();
            }
            self.bump();
            let iter = self.disjunction()?;
            let mut ifs = Vec::new();
            while self.eat(Tok::If) {
                ifs.push(self.disjunction()?);
            }
            if is_async {
                self.check_version(6, "Async comprehensions are")?;
            }
            gens.push(Comprehension { target, iter, ifs, is_async });
        }
        Ok(gens)
    }

    fn yield_expr(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.bump();
        if self.eat(Tok::From) {
            let v = self.expression()?;
            return Ok(Expr { kind: ExprKind::YieldFrom { value: Box::new(v) }, loc: self.loc_from(start) });
        }
        let value = if self.starts_expression() { Some(Box::new(self.star_expressions()?)) } else { None };
        Ok(Expr { kind: ExprKind::Yield { value }, loc: self.loc_from(start) })
    }

    // ----- calls ---------------------------------------------------------

    /// Arguments of a call (or class bases), after `(`. In a call, a lone
    /// generator expression argument takes the call's parentheses as its
    /// own.
    fn call_arguments(&mut self, is_call: bool) -> PResult<(Vec<Expr>, Vec<Keyword>)> {
        let mut args = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        let mut seen_kw_unpack = false;
        loop {
            let start = self.pos;
            match self.peek() {
                Tok::Star => {
                    self.bump();
                    let v = self.expression()?;
                    let e = Expr { kind: ExprKind::Starred { value: Box::new(v), ctx: ExprContext::Load }, loc: self.loc_from(start) };
                    if seen_kw_unpack {
                        let err = self.raise_loc("iterable argument unpacking follows keyword argument unpacking", e.loc);
                        return self.invalid(err);
                    }
                    args.push(e);
                }
                Tok::DoubleStar => {
                    self.bump();
                    let v = self.expression()?;
                    seen_kw_unpack = true;
                    keywords.push(Keyword { arg: None, value: v, loc: self.loc_from(start) });
                }
                Tok::Name if self.peek_n(1) == Tok::Equal => {
                    let t = self.bump();
                    self.bump();
                    let v = self.expression()?;
                    if matches!(self.peek(), Tok::For | Tok::Async) && self.invalid_mode {
                        return Err(self.raise_at(
                            ErrorKind::SyntaxError,
                            "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                            &t,
                        ));
                    }
                    keywords.push(Keyword { arg: Some(self.ident(&t)), value: v, loc: self.loc_from(start) });
                }
                Tok::True | Tok::False | Tok::None if self.peek_n(1) == Tok::Equal && self.invalid_mode => {
                    let t = self.cur();
                    let msg = format!("cannot assign to {}", self.text(&t));
                    return Err(self.raise_at(ErrorKind::SyntaxError, &msg, &t));
                }
                _ => {
                    let e = self.named_expression_arg()?;
                    if matches!(self.peek(), Tok::For | Tok::Async) && !is_call && !self.invalid_mode {
                        return self.invalid_syntax();
                    }
                    if matches!(self.peek(), Tok::For | Tok::Async) {
                        let generators = self.comprehension_clauses()?;
                        let sole = args.is_empty() && keywords.is_empty() && self.peek() == Tok::RPar;
                        if sole && is_call {
                            let mut l = self.loc_from(start - 1);
                            let close = self.cur();
                            l.end_lineno = close.end_lineno;
                            l.end_col_offset = close.end_col;
                            args.push(Expr { kind: ExprKind::GeneratorExp(Box::new(Comp { elt: e, generators })), loc: l });
                            return Ok((args, keywords));
                        }
                        if sole {
                            return self.invalid_syntax();
                        }
                        let err = self.raise_loc("Generator expression must be parenthesized", e.loc);
                        return self.invalid(err);
                    }
                    if self.peek() == Tok::Equal {
                        if self.invalid_mode && !matches!(e.kind, ExprKind::NamedExpr { .. }) {
                            let err = self.raise_loc("expression cannot contain assignment, perhaps you meant \"==\"?", e.loc);
                            return Err(err);
                        }
                        return self.invalid_syntax();
                    }
                    if !keywords.is_empty() {
                        if !self.invalid_mode {
                            return self.invalid_syntax();
                        }
                        // CPython reads the rest of the arguments before it
                        // reports, at the last token read.
                        while self.eat(Tok::Comma) {
                            if self.peek() == Tok::RPar || self.try_rule(|p| p.any_argument())?.is_none() {
                                break;
                            }
                        }
                        self.peek();
                        let msg = if seen_kw_unpack {
                            "positional argument follows keyword argument unpacking"
                        } else {
                            "positional argument follows keyword argument"
                        };
                        let t = self.last_token();
                        return Err(self.raise_at(ErrorKind::SyntaxError, msg, &t));
                    }
                    args.push(e);
                }
            }
            if !self.eat(Tok::Comma) {
                break;
            }
            if self.peek() == Tok::RPar {
                break;
            }
        }
        Ok((args, keywords))
    }

    // ----- parameters ----------------------------------------------------

    /// Parameters of `def` (`annotations` true, up to `)`) or `lambda` (up
    /// to `:`). Errors are CPython's `invalid_parameters`, `invalid_star_etc`
    /// and `invalid_kwds` (and their lambda twins), raised in the second pass.
    fn parameters(&mut self, end: Tok, annotations: bool) -> PResult<Arguments> {
        let mut a = Arguments::default();
        let mut seen_default = false;
        let mut seen_star = false;
        // Which parameter a type comment after it goes to (def only):
        // 0 the last of `args`, 1 of `kwonlyargs`, 2 `vararg`, 3 `kwarg`.
        let mut last: Option<u8> = None;
        loop {
            if self.peek() == end {
                break;
            }
            match self.peek() {
                Tok::Slash => {
                    let t = self.bump();
                    if seen_star || !a.posonlyargs.is_empty() || a.args.is_empty() {
                        let msg = if seen_star {
                            "/ must be ahead of *"
                        } else if !a.posonlyargs.is_empty() {
                            "/ may appear only once"
                        } else {
                            "at least one argument must precede /"
                        };
                        let e = self.raise_at(ErrorKind::SyntaxError, msg, &t);
                        return self.invalid(e);
                    }
                    a.posonlyargs = std::mem::take(&mut a.args);
                    last = None;
                    if self.peek() == Tok::Star {
                        let t = self.cur();
                        let e = self.raise_at(ErrorKind::SyntaxError, "expected comma between / and *", &t);
                        return self.invalid(e);
                    }
                }
                Tok::Star => {
                    if seen_star && !self.invalid_mode {
                        return self.invalid_syntax();
                    }
                    let t = self.bump();
                    if seen_star {
                        if matches!(self.peek(), Tok::Name | Tok::Comma) {
                            let e = self.raise_at(ErrorKind::SyntaxError, "* argument may appear only once", &t);
                            return self.invalid(e);
                        }
                        return self.invalid_syntax();
                    }
                    seen_star = true;
                    if self.type_comments && self.peek() == Tok::Comma && self.peek_n(1) == Tok::TypeComment {
                        let tc = self.tok_at(self.pos + 1);
                        return Err(self.raise_at(ErrorKind::SyntaxError, "bare * has associated type comment", &tc));
                    }
                    let bare = match self.peek() {
                        Tok::Comma => matches!(self.peek_n(1), Tok::DoubleStar) || self.peek_n(1) == end,
                        k => k == end,
                    };
                    if bare {
                        if !self.invalid_mode {
                            return self.invalid_syntax();
                        }
                        if annotations {
                            return Err(self.raise_at(ErrorKind::SyntaxError, "named arguments must follow bare *", &t));
                        }
                        let last = self.last_token();
                        return Err(self.raise_at(ErrorKind::SyntaxError, "named arguments must follow bare *", &last));
                    }
                    if self.peek() != Tok::Comma {
                        a.vararg = Some(Box::new(self.param(annotations, true)?));
                        last = Some(2);
                        if self.peek() == Tok::Equal {
                            let t = self.cur();
                            let e = self.raise_at(ErrorKind::SyntaxError, "var-positional argument cannot have default value", &t);
                            return self.invalid(e);
                        }
                    }
                }
                Tok::DoubleStar => {
                    self.bump();
                    a.kwarg = Some(Box::new(self.param(annotations, false)?));
                    if self.peek() == Tok::Equal {
                        let t = self.cur();
                        let e = self.raise_at(ErrorKind::SyntaxError, "var-keyword argument cannot have default value", &t);
                        return self.invalid(e);
                    }
                    let comma = self.eat(Tok::Comma);
                    if annotations && self.type_comments && (comma || self.peek_n(1) == end) {
                        self.param_type_comment(&mut a, Some(3));
                    }
                    if comma && matches!(self.peek(), Tok::Name | Tok::Star | Tok::DoubleStar | Tok::Slash) {
                        let t = self.cur();
                        let e = self.raise_at(ErrorKind::SyntaxError, "arguments cannot follow var-keyword argument", &t);
                        return self.invalid(e);
                    }
                    break;
                }
                Tok::LPar if !seen_default && !seen_star && a.posonlyargs.is_empty() && self.invalid_mode => {
                    // `def f((a, b)):` — CPython: "Function parameters cannot be parenthesized"
                    let t = self.cur();
                    let save = self.pos;
                    self.bump();
                    let mut ok = false;
                    while self.peek() == Tok::Name {
                        self.bump();
                        if !annotations && self.peek() == Tok::Equal {
                            self.bump();
                            if self.try_rule(|p| p.expression())?.is_none() {
                                break;
                            }
                        }
                        ok = true;
                        if !self.eat(Tok::Comma) {
                            break;
                        }
                    }
                    if ok && self.peek() == Tok::RPar {
                        let msg = if annotations {
                            "Function parameters cannot be parenthesized"
                        } else {
                            "Lambda expression parameters cannot be parenthesized"
                        };
                        return Err(self.raise_at(ErrorKind::SyntaxError, msg, &t));
                    }
                    self.pos = save;
                    return self.invalid_syntax();
                }
                _ => {
                    let p = self.param(annotations, false)?;
                    let default = if self.peek() == Tok::Equal {
                        let eq = self.bump();
                        if matches!(self.peek(), Tok::RPar | Tok::Comma) {
                            let e = self.raise_at(ErrorKind::SyntaxError, "expected default value expression", &eq);
                            return self.invalid(e);
                        }
                        Some(self.expression()?)
                    } else {
                        None
                    };
                    last = Some(if seen_star { 1 } else { 0 });
                    if seen_star {
                        a.kwonlyargs.push(p);
                        a.kw_defaults.push(default);
                    } else {
                        match default {
                            Some(d) => {
                                seen_default = true;
                                a.defaults.push(d);
                            }
                            None if seen_default => {
                                let e = self.raise_loc("non-default argument follows default argument", p.loc);
                                return self.invalid(e);
                            }
                            None => {}
                        }
                        a.args.push(p);
                    }
                }
            }
            if !self.eat(Tok::Comma) {
                if annotations && self.type_comments && self.peek_n(1) == end {
                    self.param_type_comment(&mut a, last);
                }
                break;
            }
            if annotations {
                self.param_type_comment(&mut a, last);
            }
        }
        if !a.posonlyargs.is_empty() {
            self.check_version(8, "Positional-only parameters are")?;
        }
        Ok(a)
    }

    /// A def parameter's `# type:` comment (after its comma, or before the
    /// closing parenthesis), given to the parameter `last` names.
    fn param_type_comment(&mut self, a: &mut Arguments, last: Option<u8>) {
        if !self.type_comments || self.peek() != Tok::TypeComment {
            return;
        }
        let Some(which) = last else { return };
        let tc = self.opt_type_comment();
        let arg = match which {
            0 => a.args.last_mut(),
            1 => a.kwonlyargs.last_mut(),
            2 => a.vararg.as_deref_mut(),
            _ => a.kwarg.as_deref_mut(),
        };
        if let Some(arg) = arg {
            arg.type_comment = tc;
        }
    }

    fn param(&mut self, annotations: bool, star: bool) -> PResult<Arg> {
        let start = self.pos;
        let arg = self.name()?;
        let annotation = if annotations && self.eat(Tok::Colon) {
            if star && self.peek() == Tok::Star {
                Some(Box::new(self.star_expression_item()?))
            } else {
                Some(Box::new(self.expression()?))
            }
        } else {
            None
        };
        Ok(Arg { arg, annotation, type_comment: None, loc: self.loc_from(start) })
    }

    /// Runs `f` as a PEG alternative: on a generic failure the position is
    /// restored and `None` returned; a specific error propagates.
    fn try_rule<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<Option<T>> {
        let save = self.pos;
        match f(self) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                if self.tok_error.is_some() || !self.is_generic(&e) {
                    return Err(e);
                }
                self.pos = save;
                Ok(None)
            }
        }
    }

    /// A `:` the grammar only hopes for: CPython's `invalid_*_stmt` rules
    /// say "expected ':'" (second pass, at the last token read) when a
    /// NEWLINE stands there.
    fn expect_colon(&mut self) -> PResult<Token> {
        if self.peek() == Tok::Colon {
            return Ok(self.bump());
        }
        if self.peek() == Tok::Newline {
            let t = self.last_token();
            let e = self.raise_at(ErrorKind::SyntaxError, "expected ':'", &t);
            return self.invalid(e);
        }
        self.invalid_syntax()
    }

    /// A forced token (`&&':'` in the grammar): its absence is an error in
    /// the first pass already, located at the token found instead.
    fn expect_forced(&mut self, k: Tok, what: &str) -> PResult<Token> {
        if self.peek() == k {
            return Ok(self.bump());
        }
        let t = self.cur();
        if t.kind == Tok::ErrorToken {
            return self.invalid_syntax();
        }
        Err(self.raise_at(ErrorKind::SyntaxError, &format!("expected '{what}'"), &t))
    }

    /// CPython's `invalid_expression` and `invalid_legacy_expression`, tried
    /// before an expression in the second pass.
    fn invalid_expression(&mut self) -> PResult<()> {
        let start = self.pos;
        let first = self.cur();
        let soft = first.kind == Tok::Name && matches!(self.text(&first), "match" | "case" | "_");
        let name_string = first.kind == Tok::Name && self.peek_n(1) == Tok::String;
        if !soft && !name_string {
            if let Some(a) = self.try_rule(|p| p.disjunction())? {
                let b = self.try_without_invalid(|p| p.expression_without_invalid())?;
                if b.is_some() && !is_legacy_name(&a) && self.level_of(self.pos - 1) > 0 {
                    return Err(self.raise_loc("invalid syntax. Perhaps you forgot a comma?", a.loc));
                }
            }
            self.pos = start;
        }
        if let Some(a) = self.try_rule(|p| p.disjunction())? {
            if self.eat(Tok::If) && self.try_rule(|p| p.disjunction())?.is_some() && !matches!(self.peek(), Tok::Else | Tok::Colon) {
                return Err(self.raise_loc("expected 'else' after 'if' expression", a.loc));
            }
        }
        self.pos = start;
        if first.kind == Tok::Name && self.peek_n(1) != Tok::LPar {
            let name = self.text(&first);
            if name == "print" || name == "exec" {
                self.bump();
                if self.try_rule(|p| p.star_expressions())?.is_some() {
                    let msg = format!("Missing parentheses in call to '{name}'. Did you mean {name}(...)?");
                    return Err(self.raise_at(ErrorKind::SyntaxError, &msg, &first));
                }
                self.pos = start;
            }
        }
        Ok(())
    }

    /// Runs `f` with the `invalid_*` rules off (`*_without_invalid` rules).
    fn try_without_invalid<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<Option<T>> {
        let mode = self.invalid_mode;
        self.invalid_mode = false;
        let r = self.try_rule(f);
        self.invalid_mode = mode;
        r
    }

    /// expression_without_invalid: `disjunction 'if' disjunction 'else'
    /// expression | disjunction | lambdef`.
    fn expression_without_invalid(&mut self) -> PResult<Expr> {
        if self.peek() == Tok::Lambda {
            return self.lambdef();
        }
        if let Some(e) = self.try_rule(|p| p.expression_inner())? {
            return Ok(e);
        }
        self.disjunction()
    }

    /// CPython's `invalid_named_expression` (second pass only).
    fn invalid_named_expression(&mut self) -> PResult<()> {
        let start = self.pos;
        if let Some(a) = self.try_rule(|p| p.expression())? {
            if self.eat(Tok::ColonEqual) && self.try_rule(|p| p.expression())?.is_some() {
                let msg = format!("cannot use assignment expressions with {}", describe(&a));
                return Err(self.raise_loc(&msg, a.loc));
            }
        }
        self.pos = start;
        if self.peek() == Tok::Name && self.peek_n(1) == Tok::Equal {
            let t = self.bump();
            self.bump();
            if self.try_rule(|p| p.bitwise_or())?.is_some() && !matches!(self.peek(), Tok::Equal | Tok::ColonEqual) {
                return Err(self.raise_at(ErrorKind::SyntaxError, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", &t));
            }
            self.pos = start;
        }
        if !self.starts_with_display_or_singleton()? {
            if let Some(a) = self.try_rule(|p| p.bitwise_or())? {
                if self.eat(Tok::Equal)
                    && self.try_rule(|p| p.bitwise_or())?.is_some()
                    && !matches!(self.peek(), Tok::Equal | Tok::ColonEqual)
                {
                    let msg = format!("cannot assign to {} here. Maybe you meant '==' instead of '='?", describe(&a));
                    return Err(self.raise_loc(&msg, a.loc));
                }
            }
        }
        self.pos = start;
        Ok(())
    }

    /// The lookahead `(list | tuple | genexp | 'True' | 'None' | 'False')`.
    fn starts_with_display_or_singleton(&mut self) -> PResult<bool> {
        let start = self.pos;
        let r = match self.peek() {
            Tok::True | Tok::None | Tok::False => true,
            Tok::LSqb | Tok::LPar => match self.try_rule(|p| p.atom())? {
                Some(e) => match e.kind {
                    ExprKind::List { .. } => true,
                    ExprKind::Tuple { .. } | ExprKind::GeneratorExp(_) => {
                        e.loc.col_offset == self.toks[start].col && e.loc.lineno == self.toks[start].lineno
                    }
                    _ => false,
                },
                None => false,
            },
            _ => false,
        };
        self.pos = start;
        Ok(r)
    }

    #[inline]
    fn disjunction(&mut self) -> PResult<Expr> {
        if self.invalid_mode {
            return self.memoized(0, |p| p.disjunction_inner());
        }
        self.disjunction_inner()
    }

    pub(crate) fn bitwise_or(&mut self) -> PResult<Expr> {
        if self.invalid_mode {
            return self.memoized(1, |p| p.binop_level(0));
        }
        self.binop_level(0)
    }

    /// Second-pass memo (pegen memoizes these rules too), so the
    /// alternatives that re-parse the same prefix stay linear.
    fn memoized(&mut self, rule: u8, f: impl FnOnce(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        let key = (self.pos, rule);
        if let Some(r) = self.memo.get(&key) {
            return match r {
                Ok((e, end)) => {
                    self.pos = *end;
                    Ok(e.clone())
                }
                Err(e) => {
                    if self.is_generic(e) {
                        self.last_generic = Some(e.clone());
                    }
                    Err(e.clone())
                }
            };
        }
        let r = f(self);
        let stored = match &r {
            Ok(e) => Ok((e.clone(), self.pos)),
            Err(e) => Err(e.clone()),
        };
        self.memo.insert(key, stored);
        r
    }

    /// `expressions`: comma-separated expressions (used by error rules).
    fn expressions_list(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let first = self.expression()?;
        if self.peek() != Tok::Comma {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat(Tok::Comma) {
            if !self.starts_expression() {
                break;
            }
            elts.push(self.expression()?);
        }
        Ok(Expr { kind: ExprKind::Tuple { elts, ctx: ExprContext::Load }, loc: self.loc_from(start) })
    }

    fn del_targets_valid(&mut self) -> PResult<Vec<Expr>> {
        let mut targets = Vec::new();
        loop {
            let e = self.bitwise_or()?;
            if invalid_target(&e, TargetKind::Del).is_some() {
                return self.invalid_syntax();
            }
            let mut e = e;
            set_ctx(&mut e, ExprContext::Del);
            targets.push(e);
            if !self.eat(Tok::Comma) {
                break;
            }
            if self.at_stmt_end() {
                break;
            }
        }
        Ok(targets)
    }

    /// CPython's `invalid_assignment` alternatives for an annotated
    /// assignment whose target cannot be annotated.
    fn invalid_annotation(&mut self, first: Expr) -> PResult<Stmt> {
        if !self.invalid_mode {
            return self.invalid_syntax();
        }
        self.bump();
        if self.try_rule(|p| p.expression())?.is_none() {
            return self.invalid_syntax();
        }
        let msg = match &first.kind {
            ExprKind::List { .. } => "only single target (not list) can be annotated",
            ExprKind::Tuple { .. } => "only single target (not tuple) can be annotated",
            _ => "illegal target for annotation",
        };
        Err(self.raise_loc(msg, first.loc))
    }

    /// CPython's `invalid_assignment` for `targets = value` with a target
    /// that cannot be assigned to, in the order pegen tries its
    /// alternatives. Second pass only.
    fn invalid_assignment(&mut self, start: usize, targets: &[Expr]) -> PResult<Stmt> {
        if !self.invalid_mode {
            return self.invalid_syntax();
        }
        // a=star_named_expression ',' star_named_expressions* ':' ...:
        // the elements are parsed as named expressions, whose own error
        // rules look past the '='.
        self.pos = start;
        let first =
            if self.peek() == Tok::Star { self.try_rule(|p| p.star_named_expression())? } else { self.try_rule(|p| p.named_expression())? };
        if first.is_some() && self.peek() == Tok::Comma {
            while self.eat(Tok::Comma) {
                if !self.starts_expression() || self.try_rule(|p| p.star_named_expression())?.is_none() {
                    break;
                }
            }
        }
        // (star_targets '=')* a=star_expressions '='
        for t in targets {
            if matches!(t.kind, ExprKind::Yield { .. } | ExprKind::YieldFrom { .. }) && !self.is_parenthesized(t) {
                return Err(self.raise_loc("assignment to yield expression not possible", t.loc));
            }
            if let Some(e) = self.invalid_target_error(t, TargetKind::Star) {
                return Err(e);
            }
        }
        self.invalid_syntax()
    }

    /// CPython's `RAISE_SYNTAX_ERROR_INVALID_TARGET`: "cannot assign to X"
    /// (or "cannot delete X") at the part of `e` that is no target.
    fn invalid_target_error(&self, e: &Expr, kind: TargetKind) -> Option<ParseError> {
        let bad = invalid_target(e, kind)?;
        let verb = if kind == TargetKind::Del { "delete" } else { "assign to" };
        Some(self.raise_loc(&format!("cannot {verb} {}", describe(bad)), bad.loc))
    }

    /// Whether `e` was written inside its own parentheses.
    fn is_parenthesized(&self, e: &Expr) -> bool {
        let i = self.toks[..self.hi].partition_point(|t| (t.lineno, t.col) < (e.loc.lineno, e.loc.col_offset));
        i > 0 && self.toks[i - 1].kind == Tok::LPar
    }

    fn star_targets_valid(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let first = self.star_target()?;
        if self.peek() != Tok::Comma {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat(Tok::Comma) {
            if self.peek() == Tok::In || self.peek() == Tok::Equal {
                break;
            }
            elts.push(self.star_target()?);
        }
        Ok(Expr { kind: ExprKind::Tuple { elts, ctx: ExprContext::Store }, loc: self.loc_from(start) })
    }

    /// One argument of any kind (error recovery only).
    fn any_argument(&mut self) -> PResult<()> {
        if self.eat(Tok::Star) || self.eat(Tok::DoubleStar) {
            self.expression()?;
            return Ok(());
        }
        if self.peek() == Tok::Name && self.peek_n(1) == Tok::Equal {
            self.bump();
            self.bump();
        }
        self.expression()?;
        Ok(())
    }

    /// A positional argument: `assignment_expression | expression !':='`
    /// (not `named_expression`: no `invalid_named_expression` here).
    fn named_expression_arg(&mut self) -> PResult<Expr> {
        if self.peek() == Tok::Name && self.peek_n(1) == Tok::ColonEqual {
            return self.named_expression();
        }
        let e = self.expression()?;
        if self.peek() == Tok::ColonEqual {
            return self.invalid_syntax();
        }
        Ok(e)
    }

    /// CPython's `_PyPegen_tokenize_full_source_to_check_for_errors`.
    fn check_rest_of_source(&mut self, e: ParseError) -> ParseError {
        if self.in_fstring {
            return e;
        }
        let err_line = self.last_token().lineno;
        loop {
            match self.tz.next_token() {
                Ok(t) if t.kind == Tok::EndMarker => return e,
                Ok(_) => {}
                Err(te) => {
                    if self.tz.at_eof_in_parens() {
                        return if te.lineno.is_some_and(|l| err_line > l) { te } else { e };
                    }
                    return te;
                }
            }
        }
    }

    /// invalid_comprehension's first rule: `*x for ...`.
    fn check_comprehension_element(&mut self, elt: &Expr) -> PResult<()> {
        if matches!(elt.kind, ExprKind::Starred { .. }) {
            if self.invalid_mode && self.try_rule(|p| p.comprehension_clauses())?.is_some() {
                return Err(self.raise_loc("iterable unpacking cannot be used in comprehension", elt.loc));
            }
            return self.invalid_syntax();
        }
        Ok(())
    }

    /// Elements of a list or set display after the first, up to `close`.
    /// In the second pass, `[a, b for ...]` raises CPython's "did you
    /// forget parentheses around the comprehension target?".
    fn display_elements(&mut self, first: Expr, close: Tok) -> PResult<Vec<Expr>> {
        let mut elts = vec![first];
        while self.eat(Tok::Comma) {
            if self.peek() == close {
                break;
            }
            if matches!(self.peek(), Tok::For | Tok::Async) {
                break;
            }
            elts.push(self.star_named_expression()?);
        }
        if matches!(self.peek(), Tok::For | Tok::Async) && self.invalid_mode && self.try_rule(|p| p.comprehension_clauses())?.is_some() {
            let e = self.raise_loc("did you forget parentheses around the comprehension target?", elts[0].loc);
            return Err(e);
        }
        Ok(elts)
    }

    /// The value after a dictionary key's `:`; in the second pass, CPython's
    /// `invalid_kvpair` errors for a missing or starred value.
    fn dict_value(&mut self, colon: &Token) -> PResult<Option<Expr>> {
        if self.invalid_mode {
            if matches!(self.peek(), Tok::RBrace | Tok::Comma) {
                return Err(self.raise_at(ErrorKind::SyntaxError, "expression expected after dictionary key and ':'", colon));
            }
            if self.peek() == Tok::Star {
                let t = self.cur();
                self.bump();
                if self.try_rule(|p| p.bitwise_or())?.is_some() {
                    return Err(self.raise_at(ErrorKind::SyntaxError, "cannot use a starred expression in a dictionary value", &t));
                }
                return Ok(None);
            }
        }
        self.try_rule(|p| p.expression())
    }

    /// `','.(expression ['as' star_target])+`, or the same in parentheses
    /// (CPython's `invalid_with_stmt`).
    fn with_items_loose(&mut self) -> PResult<()> {
        let paren = self.peek() == Tok::LPar;
        if paren {
            let save = self.pos;
            self.bump();
            let r = self.try_rule(|p| {
                loop {
                    p.expressions_list()?;
                    if p.eat(Tok::As) {
                        p.star_target()?;
                    }
                    if !p.eat(Tok::Comma) || p.peek() == Tok::RPar {
                        break;
                    }
                }
                p.expect(Tok::RPar).map(|_| ())
            })?;
            if r.is_some() && self.peek() == Tok::Newline {
                return Ok(());
            }
            self.pos = save;
        }
        loop {
            self.expression()?;
            if self.eat(Tok::As) {
                self.star_target()?;
            }
            if !self.eat(Tok::Comma) {
                return Ok(());
            }
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        let mut toks = std::mem::take(&mut self.toks);
        toks.clear();
        TOKEN_POOL.with(|pool| {
            let mut pool = pool.borrow_mut();
            if toks.capacity() > pool.capacity() {
                *pool = toks;
            }
        });
    }
}

/// Which target rule an invalid target was met in (CPython's
/// `TARGETS_TYPE`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum TargetKind {
    Star,
    Del,
    For,
}

/// CPython's `_PyPegen_get_invalid_target`: the part of `e` that cannot be
/// an assignment, `del` or `for` target, if any.
fn invalid_target(e: &Expr, kind: TargetKind) -> Option<&Expr> {
    match &e.kind {
        ExprKind::Name { .. } | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => None,
        ExprKind::Starred { value, .. } => {
            if kind == TargetKind::Del {
                Some(e)
            } else {
                invalid_target(value, kind)
            }
        }
        ExprKind::Tuple { elts, .. } | ExprKind::List { elts, .. } => elts.iter().find_map(|x| invalid_target(x, kind)),
        ExprKind::Compare(c) if kind == TargetKind::For => {
            if c.ops[0] == CmpOp::In {
                invalid_target(&c.left, kind)
            } else {
                None
            }
        }
        _ => Some(e),
    }
}

fn set_ctx(e: &mut Expr, ctx: ExprContext) {
    match &mut e.kind {
        ExprKind::Name { ctx: c, .. } | ExprKind::Attribute { ctx: c, .. } | ExprKind::Subscript { ctx: c, .. } => *c = ctx,
        ExprKind::Starred { value, ctx: c } => {
            *c = ctx;
            set_ctx(value, ctx);
        }
        ExprKind::Tuple { elts, ctx: c } | ExprKind::List { elts, ctx: c } => {
            *c = ctx;
            for x in elts {
                set_ctx(x, ctx);
            }
        }
        _ => {}
    }
}

/// CPython's `_PyPegen_get_expr_name`: how error messages name an expression.
pub(crate) fn is_legacy_name(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Name { id, .. } if &**id == "print" || &**id == "exec")
}

/// CPython's `_PyPegen_get_expr_name`: how error messages name an expression.
pub(crate) fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        ExprKind::Starred { .. } => "starred",
        ExprKind::Name { .. } => "name",
        ExprKind::List { .. } => "list",
        ExprKind::Tuple { .. } => "tuple",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::Call(_) => "function call",
        ExprKind::BoolOp { .. } | ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } => "expression",
        ExprKind::GeneratorExp(_) => "generator expression",
        ExprKind::Yield { .. } | ExprKind::YieldFrom { .. } => "yield expression",
        ExprKind::Await { .. } => "await expression",
        ExprKind::ListComp(_) => "list comprehension",
        ExprKind::SetComp(_) => "set comprehension",
        ExprKind::DictComp(_) => "dict comprehension",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Set { .. } => "set display",
        ExprKind::JoinedStr { .. } | ExprKind::FormattedValue { .. } => "f-string expression",
        ExprKind::Constant { value, .. } => match value {
            Constant::None => "None",
            Constant::Bool(true) => "True",
            Constant::Bool(false) => "False",
            Constant::Ellipsis => "ellipsis",
            _ => "literal",
        },
        ExprKind::Compare(_) => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::NamedExpr { .. } => "named expression",
        ExprKind::Slice { .. } => "slice",
    }
}
