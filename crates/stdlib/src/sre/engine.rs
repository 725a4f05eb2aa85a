//! The matching engine: a backtracking machine over the code words that
//! `re._compiler` emits (the opcodes of `re/_constants.py`, MAGIC
//! 20220615), with the semantics of CPython 3.11's `sre_lib.h`.
//!
//! Backtracking never recurses on the Rust stack: a sub-match (an
//! alternative of a branch, the tail after a repeat, the body of a
//! lookaround) pushes a [`Ctx`] that records where its parent resumes
//! ([`Jump`]), and finishing one pops it and resumes the parent. Saved
//! group marks and the zero-width guards of repeats live on a separate data
//! stack (CPython's `MARK_PUSH`/`DATA_PUSH`). Group marks are kept exactly
//! as CPython keeps them (`lastmark`, `lastindex`, marks saved only where
//! CPython saves them), so captures after backtracking agree with it.
//!
//! The subject is a slice of code units: bytes (for `bytes` subjects and
//! ASCII `str`s, without copying) or code points.

use taipan_parser::unicode::{self, case_map, ctype, CaseMap};

/// The opcodes (`re._constants.OPCODES`).
#[allow(dead_code)]
pub mod op {
    pub const FAILURE: u32 = 0;
    pub const SUCCESS: u32 = 1;
    pub const ANY: u32 = 2;
    pub const ANY_ALL: u32 = 3;
    pub const ASSERT: u32 = 4;
    pub const ASSERT_NOT: u32 = 5;
    pub const AT: u32 = 6;
    pub const BRANCH: u32 = 7;
    pub const CATEGORY: u32 = 8;
    pub const CHARSET: u32 = 9;
    pub const BIGCHARSET: u32 = 10;
    pub const GROUPREF: u32 = 11;
    pub const GROUPREF_EXISTS: u32 = 12;
    pub const IN: u32 = 13;
    pub const INFO: u32 = 14;
    pub const JUMP: u32 = 15;
    pub const LITERAL: u32 = 16;
    pub const MARK: u32 = 17;
    pub const MAX_UNTIL: u32 = 18;
    pub const MIN_UNTIL: u32 = 19;
    pub const NOT_LITERAL: u32 = 20;
    pub const NEGATE: u32 = 21;
    pub const RANGE: u32 = 22;
    pub const REPEAT: u32 = 23;
    pub const REPEAT_ONE: u32 = 24;
    pub const SUBPATTERN: u32 = 25;
    pub const MIN_REPEAT_ONE: u32 = 26;
    pub const ATOMIC_GROUP: u32 = 27;
    pub const POSSESSIVE_REPEAT: u32 = 28;
    pub const POSSESSIVE_REPEAT_ONE: u32 = 29;
    pub const GROUPREF_IGNORE: u32 = 30;
    pub const IN_IGNORE: u32 = 31;
    pub const LITERAL_IGNORE: u32 = 32;
    pub const NOT_LITERAL_IGNORE: u32 = 33;
    pub const GROUPREF_LOC_IGNORE: u32 = 34;
    pub const IN_LOC_IGNORE: u32 = 35;
    pub const LITERAL_LOC_IGNORE: u32 = 36;
    pub const NOT_LITERAL_LOC_IGNORE: u32 = 37;
    pub const GROUPREF_UNI_IGNORE: u32 = 38;
    pub const IN_UNI_IGNORE: u32 = 39;
    pub const LITERAL_UNI_IGNORE: u32 = 40;
    pub const NOT_LITERAL_UNI_IGNORE: u32 = 41;
    pub const RANGE_UNI_IGNORE: u32 = 42;
}

/// Position codes of `AT` (`re._constants.ATCODES`).
mod at {
    pub const BEGINNING: u32 = 0;
    pub const BEGINNING_LINE: u32 = 1;
    pub const BEGINNING_STRING: u32 = 2;
    pub const BOUNDARY: u32 = 3;
    pub const NON_BOUNDARY: u32 = 4;
    pub const END: u32 = 5;
    pub const END_LINE: u32 = 6;
    pub const END_STRING: u32 = 7;
    pub const LOC_BOUNDARY: u32 = 8;
    pub const LOC_NON_BOUNDARY: u32 = 9;
    pub const UNI_BOUNDARY: u32 = 10;
    pub const UNI_NON_BOUNDARY: u32 = 11;
}

/// `INFO` block flags.
const INFO_PREFIX: u32 = 1;
const INFO_LITERAL: u32 = 2;
const INFO_CHARSET: u32 = 4;

/// `_sre.MAXREPEAT`: an unbounded repeat's maximum.
pub const MAXREPEAT: u32 = u32::MAX;

// ----- characters ------------------------------------------------------

pub fn lower_ascii(ch: u32) -> u32 {
    if (0x41..=0x5A).contains(&ch) {
        ch + 32
    } else {
        ch
    }
}

pub fn upper_ascii(ch: u32) -> u32 {
    if (0x61..=0x7A).contains(&ch) {
        ch - 32
    } else {
        ch
    }
}

/// The "locale" case mappings: CPython uses the C library's
/// `tolower`/`toupper` under the process's `LC_CTYPE`, which for the C
/// and UTF-8 locales changes ASCII letters only.
fn lower_locale(ch: u32) -> u32 {
    lower_ascii(ch)
}

fn upper_locale(ch: u32) -> u32 {
    upper_ascii(ch)
}

/// CPython's `_PyUnicode_ToLowercase`: the first code point of the full
/// lower-case mapping.
pub fn lower_unicode(ch: u32) -> u32 {
    if ch < 0x80 {
        return lower_ascii(ch);
    }
    first_of(case_map(ch, CaseMap::Lower), ch)
}

/// CPython's `_PyUnicode_ToUppercase`.
pub fn upper_unicode(ch: u32) -> u32 {
    if ch < 0x80 {
        return upper_ascii(ch);
    }
    first_of(case_map(ch, CaseMap::Upper), ch)
}

fn first_of(mapped: Option<&str>, ch: u32) -> u32 {
    mapped.and_then(|s| s.chars().next()).map_or(ch, |c| c as u32)
}

pub fn ascii_iscased(ch: u32) -> bool {
    ch < 128 && (ch as u8).is_ascii_alphabetic()
}

pub fn unicode_iscased(ch: u32) -> bool {
    ch != lower_unicode(ch) || ch != upper_unicode(ch)
}

fn is_digit(ch: u32) -> bool {
    (0x30..=0x39).contains(&ch)
}

fn is_space(ch: u32) -> bool {
    matches!(ch, 0x09..=0x0D | 0x20)
}

fn is_linebreak(ch: u32) -> bool {
    ch == 0x0A
}

fn is_word(ch: u32) -> bool {
    ch < 128 && ((ch as u8).is_ascii_alphanumeric() || ch == 0x5F)
}

fn loc_is_word(ch: u32) -> bool {
    is_word(ch)
}

fn uni_is_digit(ch: u32) -> bool {
    if ch < 128 {
        return is_digit(ch);
    }
    unicode::has_ctype(ch, ctype::DECIMAL)
}

fn uni_is_space(ch: u32) -> bool {
    if ch < 128 {
        return matches!(ch, 0x09..=0x0D | 0x1C..=0x20);
    }
    unicode::has_ctype(ch, ctype::SPACE)
}

fn uni_is_linebreak(ch: u32) -> bool {
    matches!(ch, 0x0A | 0x0B | 0x0C | 0x0D | 0x1C | 0x1D | 0x1E | 0x85 | 0x2028 | 0x2029)
}

fn uni_is_word(ch: u32) -> bool {
    if ch < 128 {
        return is_word(ch);
    }
    unicode::has_ctype(ch, ctype::ALPHA | ctype::DECIMAL | ctype::DIGIT | ctype::NUMERIC)
}

/// `sre_category`: whether `ch` is in the category `code` (CHCODES).
fn category(code: u32, ch: u32) -> bool {
    match code {
        0 => is_digit(ch),
        1 => !is_digit(ch),
        2 => is_space(ch),
        3 => !is_space(ch),
        4 => is_word(ch),
        5 => !is_word(ch),
        6 => is_linebreak(ch),
        7 => !is_linebreak(ch),
        8 => loc_is_word(ch),
        9 => !loc_is_word(ch),
        10 => uni_is_digit(ch),
        11 => !uni_is_digit(ch),
        12 => uni_is_space(ch),
        13 => !uni_is_space(ch),
        14 => uni_is_word(ch),
        15 => !uni_is_word(ch),
        16 => uni_is_linebreak(ch),
        17 => !uni_is_linebreak(ch),
        _ => false,
    }
}

fn char_loc_ignore(pattern: u32, ch: u32) -> bool {
    ch == pattern || lower_locale(ch) == pattern || upper_locale(ch) == pattern
}

/// A code unit of a subject.
pub trait Char: Copy {
    fn cp(self) -> u32;
}

impl Char for u8 {
    #[inline]
    fn cp(self) -> u32 {
        self as u32
    }
}

impl Char for u32 {
    #[inline]
    fn cp(self) -> u32 {
        self
    }
}

// ----- state -----------------------------------------------------------

/// The registers of a match in progress that do not depend on the
/// subject's code-unit type (CPython's `SRE_STATE` minus the string).
/// Positions are code-unit indices; `-1` stands for CPython's NULL.
#[derive(Clone, Debug, Default)]
pub struct Regs {
    /// Where the current match attempt started (`state->start`).
    pub start: isize,
    /// The end of the searched range (`endpos`, clipped).
    pub end: isize,
    /// The match's end after success (`state->ptr`).
    pub ptr: isize,
    pub marks: Vec<isize>,
    pub lastmark: isize,
    pub lastindex: isize,
    /// `fullmatch`: the match must reach `end`.
    pub match_all: bool,
    /// The match must not be empty at `start` (after an empty match in
    /// findall/sub/split/finditer).
    pub must_advance: bool,
}

impl Regs {
    /// `state_reset`: forget the captures of the previous attempt.
    pub fn reset(&mut self) {
        self.lastmark = -1;
        self.lastindex = -1;
    }

    /// The span of group `g` (1-based), if it took part in the match.
    pub fn group_span(&self, g: usize) -> Option<(isize, isize)> {
        let j = 2 * (g - 1);
        if (j as isize) < self.lastmark {
            let (a, b) = (self.marks.get(j).copied()?, self.marks.get(j + 1).copied()?);
            if a >= 0 && b >= 0 {
                return Some((a, b));
            }
        }
        None
    }
}

/// A repeat in progress (`SRE_REPEAT`).
struct Repeat {
    count: isize,
    /// Index of the REPEAT's skip word: `+1` min, `+2` max, `+3` body.
    pc: usize,
    last_ptr: isize,
    prev: Option<usize>,
}

/// Where a finished sub-match hands its result back.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Jump {
    None,
    MaxUntil1,
    MaxUntil2,
    MaxUntil3,
    MinUntil1,
    MinUntil2,
    MinUntil3,
    Repeat,
    RepeatOne1,
    RepeatOne2,
    MinRepeatOne,
    Branch,
    Assert,
    AssertNot,
    PossRepeat1,
    PossRepeat2,
    AtomicGroup,
}

/// One level of the backtracking stack (`SRE(match_context)`).
struct Ctx {
    count: isize,
    chr: u32,
    rep: usize,
    lastmark: isize,
    lastindex: isize,
    pc: usize,
    ptr: isize,
    toplevel: bool,
    jump: Jump,
    /// Length of the data stack when this context started.
    data_base: usize,
}

impl Ctx {
    fn new(jump: Jump, toplevel: bool, data_base: usize) -> Ctx {
        Ctx { count: 0, chr: 0, rep: 0, lastmark: -1, lastindex: -1, pc: 0, ptr: 0, toplevel, jump, data_base }
    }
}

/// What the machine does next.
#[derive(Clone, Copy)]
enum Mode {
    /// Start a (sub-)match at `pc` from `state.ptr`.
    Entrance,
    /// Execute the opcode at `pc`.
    Dispatch,
    /// The current context finished with this result.
    Exit(bool),
    /// Loop heads that resume after a sub-match failed.
    BranchTry,
    RepeatOneLiteral,
    RepeatOneGeneral,
    MinRepeatOneLoop,
    PossMin,
    PossLoop,
}

/// What a resumed context does: go on in `Mode`, or start a sub-match of
/// the given kind at a code index (inheriting `toplevel`).
enum Step {
    Mode(Mode),
    Jump(Jump, usize),
}

/// The engine's error: malformed code (`SRE_ERROR_ILLEGAL`/`_STATE`).
#[derive(Debug, PartialEq, Eq)]
pub struct Illegal;

pub type MatchResult = Result<bool, Illegal>;

/// A match in progress over the code units `text`.
pub struct State<'a, T: Char> {
    pub text: &'a [T],
    pub r: Regs,
    repeats: Vec<Repeat>,
    repeat: Option<usize>,
    data: Vec<isize>,
}

impl<'a, T: Char> State<'a, T> {
    /// A state over `text[start..end]` (both already clipped, as
    /// `state_init` does).
    pub fn new(text: &'a [T], groups: usize, start: usize, end: usize) -> State<'a, T> {
        State {
            text,
            r: Regs {
                start: start as isize,
                end: end as isize,
                ptr: start as isize,
                marks: vec![-1; 2 * groups],
                lastmark: -1,
                lastindex: -1,
                match_all: false,
                must_advance: false,
            },
            repeats: Vec::new(),
            repeat: None,
            data: Vec::new(),
        }
    }

    /// `state_reset` before another search.
    pub fn reset(&mut self) {
        self.r.reset();
        self.repeats.clear();
        self.repeat = None;
        self.data.clear();
    }

    #[inline]
    fn ch(&self, i: isize) -> u32 {
        match self.text.get(i as usize) {
            Some(c) if i >= 0 => c.cp(),
            _ => 0,
        }
    }

    fn at(&self, ptr: isize, code: u32) -> bool {
        let end = self.r.end;
        let boundary = |word: fn(u32) -> bool| -> Option<bool> {
            if end == 0 {
                return None;
            }
            let that = ptr > 0 && word(self.ch(ptr - 1));
            let this = ptr < end && word(self.ch(ptr));
            Some(this != that)
        };
        match code {
            at::BEGINNING | at::BEGINNING_STRING => ptr == 0,
            at::BEGINNING_LINE => ptr == 0 || is_linebreak(self.ch(ptr - 1)),
            at::END => (end - ptr == 1 && is_linebreak(self.ch(ptr))) || ptr == end,
            at::END_LINE => ptr == end || is_linebreak(self.ch(ptr)),
            at::END_STRING => ptr == end,
            at::BOUNDARY => boundary(is_word) == Some(true),
            at::NON_BOUNDARY => boundary(is_word) == Some(false),
            at::LOC_BOUNDARY => boundary(loc_is_word) == Some(true),
            at::LOC_NON_BOUNDARY => boundary(loc_is_word) == Some(false),
            at::UNI_BOUNDARY => boundary(uni_is_word) == Some(true),
            at::UNI_NON_BOUNDARY => boundary(uni_is_word) == Some(false),
            _ => false,
        }
    }

    /// Whether one code unit at `ptr` (`< end`) matches the single-width
    /// item at `code[pc]`; `None` if the opcode is not a single-width one.
    #[inline]
    fn match_one(&self, code: &[u32], pc: usize, ptr: isize) -> Option<bool> {
        let c = self.ch(ptr);
        let arg = || word(code, pc + 1);
        Some(match word(code, pc) {
            op::ANY => !is_linebreak(c),
            op::ANY_ALL => true,
            op::LITERAL => c == arg(),
            op::NOT_LITERAL => c != arg(),
            op::LITERAL_IGNORE => lower_ascii(c) == arg(),
            op::NOT_LITERAL_IGNORE => lower_ascii(c) != arg(),
            op::LITERAL_UNI_IGNORE => lower_unicode(c) == arg(),
            op::NOT_LITERAL_UNI_IGNORE => lower_unicode(c) != arg(),
            op::LITERAL_LOC_IGNORE => char_loc_ignore(arg(), c),
            op::NOT_LITERAL_LOC_IGNORE => !char_loc_ignore(arg(), c),
            op::CATEGORY => category(arg(), c),
            op::IN => charset(code, pc + 2, c),
            op::IN_IGNORE => charset(code, pc + 2, lower_ascii(c)),
            op::IN_UNI_IGNORE => charset(code, pc + 2, lower_unicode(c)),
            op::IN_LOC_IGNORE => charset_loc_ignore(code, pc + 2, c),
            _ => return None,
        })
    }

    /// `SRE(count)`: how many times (at most `maxcount`) the single-width
    /// item at `code[pc]` matches from `r.ptr`.
    fn count(&self, code: &[u32], pc: usize, maxcount: u32) -> isize {
        let ptr = self.r.ptr;
        let mut end = self.r.end;
        if maxcount != MAXREPEAT && (maxcount as isize) < end - ptr {
            end = ptr + maxcount as isize;
        }
        let mut p = ptr;
        match word(code, pc) {
            op::ANY_ALL => {
                if end > p {
                    p = end;
                }
            }
            op::LITERAL => {
                let c = word(code, pc + 1);
                while p < end && self.ch(p) == c {
                    p += 1;
                }
            }
            op::NOT_LITERAL => {
                let c = word(code, pc + 1);
                while p < end && self.ch(p) != c {
                    p += 1;
                }
            }
            op::IN => {
                while p < end && charset(code, pc + 2, self.ch(p)) {
                    p += 1;
                }
            }
            _ => {
                while p < end && self.match_one(code, pc, p) == Some(true) {
                    p += 1;
                }
            }
        }
        p - ptr
    }

    fn mark_push(&mut self, lastmark: isize) {
        if lastmark >= 0 {
            let n = (lastmark as usize + 1).min(self.r.marks.len());
            self.data.extend_from_slice(&self.r.marks[..n]);
            // Keep the pushed size equal to lastmark + 1.
            for _ in n..lastmark as usize + 1 {
                self.data.push(-1);
            }
        }
    }

    fn mark_pop(&mut self, lastmark: isize, discard: bool) {
        if lastmark >= 0 {
            let n = lastmark as usize + 1;
            let at = self.data.len().saturating_sub(n);
            for i in 0..n {
                let v = self.data.get(at + i).copied().unwrap_or(-1);
                if let Some(m) = self.r.marks.get_mut(i) {
                    *m = v;
                }
            }
            if discard {
                self.data.truncate(at);
            }
        }
    }

    fn mark_discard(&mut self, lastmark: isize) {
        if lastmark >= 0 {
            let n = lastmark as usize + 1;
            self.data.truncate(self.data.len().saturating_sub(n));
        }
    }

    fn set_mark(&mut self, i: usize, ptr: isize) {
        if i & 1 == 1 {
            self.r.lastindex = (i / 2 + 1) as isize;
        }
        if i >= self.r.marks.len() {
            self.r.marks.resize(i + 1, -1);
        }
        if i as isize > self.r.lastmark {
            let from = (self.r.lastmark + 1) as usize;
            for m in &mut self.r.marks[from..i] {
                *m = -1;
            }
            self.r.lastmark = i as isize;
        }
        self.r.marks[i] = ptr;
    }

    /// Compares the text of group `g` with the text at `ptr`, folding
    /// case with `fold`; the position after it on success.
    fn groupref(&self, g: u32, ptr: isize, fold: fn(u32) -> u32) -> Option<isize> {
        let gr = g as isize * 2;
        if gr >= self.r.lastmark {
            return None;
        }
        let p = *self.r.marks.get(gr as usize)?;
        let e = *self.r.marks.get(gr as usize + 1)?;
        if p < 0 || e < 0 || e < p {
            return None;
        }
        if e - p > self.r.end - ptr {
            return None;
        }
        for k in 0..e - p {
            if fold(self.ch(ptr + k)) != fold(self.ch(p + k)) {
                return None;
            }
        }
        Some(ptr + (e - p))
    }

    /// `SRE(match)`: matches the code at `pc0` at `r.ptr`; on success
    /// `r.ptr` is the end of the match.
    pub fn run(&mut self, code: &[u32], pc0: usize, toplevel: bool) -> MatchResult {
        let end = self.r.end;
        let mut ctxs: Vec<Ctx> = vec![Ctx::new(Jump::None, toplevel, self.data.len())];
        let mut pc = pc0;
        let mut ptr = self.r.ptr;
        let mut mode = Mode::Entrance;

        // Saves the position and enters a sub-match at `$next`.
        macro_rules! jump {
            ($kind:expr, $next:expr, $toplevel:expr) => {{
                let next = $next;
                let top = $toplevel;
                let c = ctxs.len() - 1;
                ctxs[c].pc = pc;
                ctxs[c].ptr = ptr;
                ctxs.push(Ctx::new($kind, top, self.data.len()));
                pc = next;
                mode = Mode::Entrance;
                continue;
            }};
        }
        macro_rules! fail {
            () => {{
                mode = Mode::Exit(false);
                continue;
            }};
        }
        macro_rules! succeed {
            () => {{
                mode = Mode::Exit(true);
                continue;
            }};
        }
        macro_rules! cx {
            () => {
                (*top(&mut ctxs))
            };
        }
        macro_rules! lastmark_save {
            () => {{
                let c = ctxs.len() - 1;
                ctxs[c].lastmark = self.r.lastmark;
                ctxs[c].lastindex = self.r.lastindex;
            }};
        }

        loop {
            match mode {
                Mode::Entrance => {
                    ptr = self.r.ptr;
                    if word(code, pc) == op::INFO {
                        let min = word(code, pc + 3);
                        if min != 0 && end - ptr < min as isize {
                            fail!();
                        }
                        pc += word(code, pc + 1) as usize + 1;
                    }
                    mode = Mode::Dispatch;
                }
                Mode::Dispatch => {
                    let opc = word(code, pc);
                    match opc {
                        op::MARK => {
                            let i = word(code, pc + 1) as usize;
                            self.set_mark(i, ptr);
                            pc += 2;
                        }
                        op::ANY | op::ANY_ALL => {
                            if ptr >= end || self.match_one(code, pc, ptr) != Some(true) {
                                fail!();
                            }
                            pc += 1;
                            ptr += 1;
                        }
                        op::LITERAL
                        | op::NOT_LITERAL
                        | op::LITERAL_IGNORE
                        | op::NOT_LITERAL_IGNORE
                        | op::LITERAL_UNI_IGNORE
                        | op::NOT_LITERAL_UNI_IGNORE
                        | op::LITERAL_LOC_IGNORE
                        | op::NOT_LITERAL_LOC_IGNORE
                        | op::CATEGORY => {
                            if ptr >= end || self.match_one(code, pc, ptr) != Some(true) {
                                fail!();
                            }
                            pc += 2;
                            ptr += 1;
                        }
                        op::IN | op::IN_IGNORE | op::IN_UNI_IGNORE | op::IN_LOC_IGNORE => {
                            if ptr >= end || self.match_one(code, pc, ptr) != Some(true) {
                                fail!();
                            }
                            pc += 1 + word(code, pc + 1) as usize;
                            ptr += 1;
                        }
                        op::SUCCESS => {
                            let c = &cx!();
                            if c.toplevel && ((self.r.match_all && ptr != end) || (self.r.must_advance && ptr == self.r.start)) {
                                fail!();
                            }
                            self.r.ptr = ptr;
                            succeed!();
                        }
                        op::FAILURE => fail!(),
                        op::AT => {
                            if !self.at(ptr, word(code, pc + 1)) {
                                fail!();
                            }
                            pc += 2;
                        }
                        op::JUMP | op::INFO => {
                            let skip = word(code, pc + 1) as usize;
                            if skip == 0 {
                                return Err(Illegal);
                            }
                            pc += 1 + skip;
                        }
                        op::BRANCH => {
                            pc += 1;
                            lastmark_save!();
                            if self.repeat.is_some() {
                                self.mark_push(cx!().lastmark);
                            }
                            mode = Mode::BranchTry;
                        }
                        op::REPEAT_ONE | op::MIN_REPEAT_ONE | op::POSSESSIVE_REPEAT_ONE => {
                            // <op> <skip> <min> <max> item <SUCCESS> tail
                            pc += 1;
                            let min = word(code, pc + 1) as isize;
                            let max = word(code, pc + 2);
                            let tail = pc + word(code, pc) as usize;
                            if min > end - ptr {
                                fail!();
                            }
                            self.r.ptr = ptr;
                            let toplevel = cx!().toplevel;
                            if opc == op::MIN_REPEAT_ONE {
                                let mut count = 0;
                                if min != 0 {
                                    count = self.count(code, pc + 3, min as u32);
                                    if count < min {
                                        fail!();
                                    }
                                    ptr += count;
                                }
                                cx!().count = count;
                                if word(code, tail) == op::SUCCESS
                                    && !(toplevel && ((self.r.match_all && ptr != end) || (self.r.must_advance && ptr == self.r.start)))
                                {
                                    self.r.ptr = ptr;
                                    succeed!();
                                }
                                lastmark_save!();
                                if self.repeat.is_some() {
                                    self.mark_push(cx!().lastmark);
                                }
                                mode = Mode::MinRepeatOneLoop;
                                continue;
                            }
                            let count = self.count(code, pc + 3, max);
                            ptr += count;
                            cx!().count = count;
                            if count < min {
                                fail!();
                            }
                            if opc == op::POSSESSIVE_REPEAT_ONE {
                                pc = tail;
                                if word(code, pc) == op::SUCCESS && ptr == end && !(toplevel && self.r.must_advance && ptr == self.r.start)
                                {
                                    self.r.ptr = ptr;
                                    succeed!();
                                }
                                continue;
                            }
                            if word(code, tail) == op::SUCCESS && ptr == end && !(toplevel && self.r.must_advance && ptr == self.r.start) {
                                self.r.ptr = ptr;
                                succeed!();
                            }
                            lastmark_save!();
                            if self.repeat.is_some() {
                                self.mark_push(cx!().lastmark);
                            }
                            if word(code, tail) == op::LITERAL {
                                cx!().chr = word(code, tail + 1);
                                mode = Mode::RepeatOneLiteral;
                            } else {
                                mode = Mode::RepeatOneGeneral;
                            }
                        }
                        op::REPEAT => {
                            // <REPEAT> <skip> <min> <max> item <UNTIL> tail
                            pc += 1;
                            let idx = self.repeats.len();
                            self.repeats.push(Repeat { count: -1, pc, last_ptr: -1, prev: self.repeat });
                            self.repeat = Some(idx);
                            cx!().rep = idx;
                            self.r.ptr = ptr;
                            jump!(Jump::Repeat, pc + word(code, pc) as usize, cx!().toplevel);
                        }
                        op::MAX_UNTIL | op::MIN_UNTIL => {
                            pc += 1;
                            let Some(ri) = self.repeat else { return Err(Illegal) };
                            self.r.ptr = ptr;
                            let count = self.repeats[ri].count + 1;
                            cx!().count = count;
                            cx!().rep = ri;
                            let rpc = self.repeats[ri].pc;
                            let min = word(code, rpc + 1) as isize;
                            let max = word(code, rpc + 2);
                            let top = cx!().toplevel;
                            if count < min {
                                self.repeats[ri].count = count;
                                let kind = if opc == op::MAX_UNTIL { Jump::MaxUntil1 } else { Jump::MinUntil1 };
                                jump!(kind, rpc + 3, top);
                            }
                            if opc == op::MAX_UNTIL {
                                if (count < max as isize || max == MAXREPEAT) && self.r.ptr != self.repeats[ri].last_ptr {
                                    self.repeats[ri].count = count;
                                    lastmark_save!();
                                    self.mark_push(cx!().lastmark);
                                    self.data.push(self.repeats[ri].last_ptr);
                                    self.repeats[ri].last_ptr = self.r.ptr;
                                    jump!(Jump::MaxUntil2, rpc + 3, top);
                                }
                                self.repeat = self.repeats[ri].prev;
                                jump!(Jump::MaxUntil3, pc, top);
                            }
                            // MIN_UNTIL: see if the tail matches first.
                            self.repeat = self.repeats[ri].prev;
                            lastmark_save!();
                            if self.repeat.is_some() {
                                self.mark_push(cx!().lastmark);
                            }
                            jump!(Jump::MinUntil2, pc, top);
                        }
                        op::POSSESSIVE_REPEAT => {
                            // <POSSESSIVE_REPEAT> <skip> <min> <max> body <SUCCESS> tail
                            pc += 1;
                            self.r.ptr = ptr;
                            cx!().count = 0;
                            mode = Mode::PossMin;
                        }
                        op::ATOMIC_GROUP => {
                            // <ATOMIC_GROUP> <skip> body <SUCCESS> tail
                            pc += 1;
                            self.r.ptr = ptr;
                            jump!(Jump::AtomicGroup, pc + 1, false);
                        }
                        op::GROUPREF | op::GROUPREF_IGNORE | op::GROUPREF_UNI_IGNORE | op::GROUPREF_LOC_IGNORE => {
                            let fold: fn(u32) -> u32 = match opc {
                                op::GROUPREF => |c| c,
                                op::GROUPREF_IGNORE => lower_ascii,
                                op::GROUPREF_UNI_IGNORE => lower_unicode,
                                _ => lower_locale,
                            };
                            match self.groupref(word(code, pc + 1), ptr, fold) {
                                Some(p) => ptr = p,
                                None => fail!(),
                            }
                            pc += 2;
                        }
                        op::GROUPREF_EXISTS => {
                            // <GROUPREF_EXISTS> <group> <skip> yes <JUMP> no
                            pc += 1;
                            let gr = word(code, pc) as isize * 2;
                            let exists = gr < self.r.lastmark && {
                                let p = self.r.marks.get(gr as usize).copied().unwrap_or(-1);
                                let e = self.r.marks.get(gr as usize + 1).copied().unwrap_or(-1);
                                p >= 0 && e >= 0 && e >= p
                            };
                            if exists {
                                pc += 2;
                            } else {
                                pc += word(code, pc + 1) as usize;
                            }
                        }
                        op::ASSERT => {
                            // <ASSERT> <skip> <back> pattern
                            pc += 1;
                            let back = word(code, pc + 1) as isize;
                            if ptr < back {
                                fail!();
                            }
                            self.r.ptr = ptr - back;
                            jump!(Jump::Assert, pc + 2, false);
                        }
                        op::ASSERT_NOT => {
                            pc += 1;
                            let back = word(code, pc + 1) as isize;
                            if ptr >= back {
                                self.r.ptr = ptr - back;
                                lastmark_save!();
                                if self.repeat.is_some() {
                                    self.mark_push(cx!().lastmark);
                                }
                                jump!(Jump::AssertNot, pc + 2, false);
                            }
                            pc += word(code, pc) as usize;
                        }
                        _ => return Err(Illegal),
                    }
                }
                Mode::BranchTry => {
                    // pc: the skip word of the next alternative.
                    loop {
                        let skip = word(code, pc) as usize;
                        if skip == 0 {
                            break;
                        }
                        let first = word(code, pc + 1);
                        let reject = match first {
                            op::LITERAL => ptr >= end || self.ch(ptr) != word(code, pc + 2),
                            op::IN => ptr >= end || !charset(code, pc + 3, self.ch(ptr)),
                            _ => false,
                        };
                        if reject {
                            pc += skip;
                            continue;
                        }
                        break;
                    }
                    if word(code, pc) == 0 {
                        if self.repeat.is_some() {
                            self.mark_discard(cx!().lastmark);
                        }
                        fail!();
                    }
                    self.r.ptr = ptr;
                    let top = cx!().toplevel;
                    jump!(Jump::Branch, pc + 1, top);
                }
                Mode::RepeatOneLiteral => {
                    // <REPEAT_ONE> <skip> <min> <max> item <SUCCESS> tail=LITERAL c
                    let min = word(code, pc + 1) as isize;
                    let tail = pc + word(code, pc) as usize;
                    let chr = cx!().chr;
                    let mut count = cx!().count;
                    while count >= min && (ptr >= end || self.ch(ptr) != chr) {
                        ptr -= 1;
                        count -= 1;
                    }
                    cx!().count = count;
                    if count < min {
                        if self.repeat.is_some() {
                            self.mark_discard(cx!().lastmark);
                        }
                        fail!();
                    }
                    self.r.ptr = ptr;
                    let top = cx!().toplevel;
                    jump!(Jump::RepeatOne1, tail, top);
                }
                Mode::RepeatOneGeneral => {
                    let min = word(code, pc + 1) as isize;
                    let tail = pc + word(code, pc) as usize;
                    if cx!().count >= min {
                        self.r.ptr = ptr;
                        let top = cx!().toplevel;
                        jump!(Jump::RepeatOne2, tail, top);
                    }
                    if self.repeat.is_some() {
                        self.mark_discard(cx!().lastmark);
                    }
                    fail!();
                }
                Mode::MinRepeatOneLoop => {
                    let max = word(code, pc + 2);
                    let tail = pc + word(code, pc) as usize;
                    if max == MAXREPEAT || cx!().count <= max as isize {
                        self.r.ptr = ptr;
                        let top = cx!().toplevel;
                        jump!(Jump::MinRepeatOne, tail, top);
                    }
                    if self.repeat.is_some() {
                        self.mark_discard(cx!().lastmark);
                    }
                    fail!();
                }
                Mode::PossMin => {
                    let min = word(code, pc + 1) as isize;
                    if cx!().count < min {
                        jump!(Jump::PossRepeat1, pc + 3, false);
                    }
                    // No position can equal this: the loop is entered.
                    ptr = -1;
                    mode = Mode::PossLoop;
                }
                Mode::PossLoop => {
                    let max = word(code, pc + 2);
                    if (cx!().count < max as isize || max == MAXREPEAT) && self.r.ptr != ptr {
                        lastmark_save!();
                        self.mark_push(cx!().lastmark);
                        ptr = self.r.ptr;
                        jump!(Jump::PossRepeat2, pc + 3, false);
                    }
                    pc += word(code, pc) as usize + 1;
                    ptr = self.r.ptr;
                    mode = Mode::Dispatch;
                }
                Mode::Exit(ret) => {
                    let Some(done) = ctxs.pop() else { return Ok(ret) };
                    self.data.truncate(done.data_base);
                    if ctxs.is_empty() {
                        return Ok(ret);
                    }
                    pc = cx!().pc;
                    ptr = cx!().ptr;
                    match self.resume(done.jump, ret, &mut ctxs, code, &mut pc, &mut ptr)? {
                        Step::Mode(m) => mode = m,
                        Step::Jump(kind, next) => {
                            let top = cx!().toplevel;
                            jump!(kind, next, top);
                        }
                    }
                }
            }
        }
    }

    /// Continues the context on top of `ctxs` after a sub-match of kind
    /// `jump` finished with `ret` (the code after CPython's jump labels).
    fn resume(&mut self, jump: Jump, ret: bool, ctxs: &mut [Ctx], code: &[u32], pc: &mut usize, ptr: &mut isize) -> Result<Step, Illegal> {
        let ci = ctxs.len() - 1;
        let has_repeat = self.repeat.is_some();
        Ok(Step::Mode(match jump {
            Jump::None => Mode::Exit(ret),
            Jump::Branch => {
                if ret {
                    if has_repeat {
                        self.mark_discard(ctxs[ci].lastmark);
                    }
                    return Ok(Step::Mode(Mode::Exit(true)));
                }
                if has_repeat {
                    self.mark_pop(ctxs[ci].lastmark, false);
                }
                self.r.lastmark = ctxs[ci].lastmark;
                self.r.lastindex = ctxs[ci].lastindex;
                *pc += word(code, *pc) as usize;
                Mode::BranchTry
            }
            Jump::RepeatOne1 | Jump::RepeatOne2 => {
                if ret {
                    if has_repeat {
                        self.mark_discard(ctxs[ci].lastmark);
                    }
                    return Ok(Step::Mode(Mode::Exit(true)));
                }
                if has_repeat {
                    self.mark_pop(ctxs[ci].lastmark, false);
                }
                self.r.lastmark = ctxs[ci].lastmark;
                self.r.lastindex = ctxs[ci].lastindex;
                *ptr -= 1;
                ctxs[ci].count -= 1;
                if jump == Jump::RepeatOne1 {
                    Mode::RepeatOneLiteral
                } else {
                    Mode::RepeatOneGeneral
                }
            }
            Jump::MinRepeatOne => {
                if ret {
                    if has_repeat {
                        self.mark_discard(ctxs[ci].lastmark);
                    }
                    return Ok(Step::Mode(Mode::Exit(true)));
                }
                if has_repeat {
                    self.mark_pop(ctxs[ci].lastmark, false);
                }
                self.r.lastmark = ctxs[ci].lastmark;
                self.r.lastindex = ctxs[ci].lastindex;
                self.r.ptr = *ptr;
                if self.count(code, *pc + 3, 1) == 0 {
                    if has_repeat {
                        self.mark_discard(ctxs[ci].lastmark);
                    }
                    return Ok(Step::Mode(Mode::Exit(false)));
                }
                *ptr += 1;
                ctxs[ci].count += 1;
                Mode::MinRepeatOneLoop
            }
            Jump::Repeat => {
                let ri = ctxs[ci].rep;
                self.repeat = self.repeats.get(ri).and_then(|r| r.prev);
                self.repeats.truncate(ri);
                Mode::Exit(ret)
            }
            Jump::MaxUntil1 | Jump::MinUntil1 => {
                if ret {
                    return Ok(Step::Mode(Mode::Exit(true)));
                }
                let ri = ctxs[ci].rep;
                self.repeats[ri].count = ctxs[ci].count - 1;
                self.r.ptr = *ptr;
                Mode::Exit(false)
            }
            Jump::MaxUntil2 => {
                let ri = ctxs[ci].rep;
                self.repeats[ri].last_ptr = self.data.pop().unwrap_or(-1);
                if ret {
                    self.mark_discard(ctxs[ci].lastmark);
                    return Ok(Step::Mode(Mode::Exit(true)));
                }
                self.mark_pop(ctxs[ci].lastmark, true);
                self.r.lastmark = ctxs[ci].lastmark;
                self.r.lastindex = ctxs[ci].lastindex;
                self.repeats[ri].count = ctxs[ci].count - 1;
                self.r.ptr = *ptr;
                // The tail, without this repeat.
                self.repeat = self.repeats[ri].prev;
                return Ok(Step::Jump(Jump::MaxUntil3, *pc));
            }
            Jump::MaxUntil3 => {
                self.repeat = Some(ctxs[ci].rep);
                if ret {
                    return Ok(Step::Mode(Mode::Exit(true)));
                }
                self.r.ptr = *ptr;
                Mode::Exit(false)
            }
            Jump::MinUntil2 => {
                let repeat_of_tail = self.repeat;
                let ri = ctxs[ci].rep;
                self.repeat = Some(ri);
                if ret {
                    if repeat_of_tail.is_some() {
                        self.mark_discard(ctxs[ci].lastmark);
                    }
                    return Ok(Step::Mode(Mode::Exit(true)));
                }
                if repeat_of_tail.is_some() {
                    self.mark_pop(ctxs[ci].lastmark, true);
                }
                self.r.lastmark = ctxs[ci].lastmark;
                self.r.lastindex = ctxs[ci].lastindex;
                self.r.ptr = *ptr;
                let rpc = self.repeats[ri].pc;
                let max = word(code, rpc + 2);
                if (ctxs[ci].count >= max as isize && max != MAXREPEAT) || self.r.ptr == self.repeats[ri].last_ptr {
                    return Ok(Step::Mode(Mode::Exit(false)));
                }
                self.repeats[ri].count = ctxs[ci].count;
                self.data.push(self.repeats[ri].last_ptr);
                self.repeats[ri].last_ptr = self.r.ptr;
                return Ok(Step::Jump(Jump::MinUntil3, rpc + 3));
            }
            Jump::MinUntil3 => {
                let ri = ctxs[ci].rep;
                self.repeats[ri].last_ptr = self.data.pop().unwrap_or(-1);
                if ret {
                    return Ok(Step::Mode(Mode::Exit(true)));
                }
                self.repeats[ri].count = ctxs[ci].count - 1;
                self.r.ptr = *ptr;
                Mode::Exit(false)
            }
            Jump::PossRepeat1 => {
                if ret {
                    ctxs[ci].count += 1;
                    Mode::PossMin
                } else {
                    self.r.ptr = *ptr;
                    Mode::Exit(false)
                }
            }
            Jump::PossRepeat2 => {
                if ret {
                    self.mark_discard(ctxs[ci].lastmark);
                    ctxs[ci].count += 1;
                    Mode::PossLoop
                } else {
                    self.mark_pop(ctxs[ci].lastmark, true);
                    self.r.lastmark = ctxs[ci].lastmark;
                    self.r.lastindex = ctxs[ci].lastindex;
                    // Leave the loop and match the tail from here.
                    self.r.ptr = *ptr;
                    *pc += word(code, *pc) as usize + 1;
                    Mode::Dispatch
                }
            }
            Jump::AtomicGroup => {
                if !ret {
                    self.r.ptr = *ptr;
                    return Ok(Step::Mode(Mode::Exit(false)));
                }
                *pc += word(code, *pc) as usize;
                *ptr = self.r.ptr;
                Mode::Dispatch
            }
            Jump::Assert => {
                if !ret {
                    return Ok(Step::Mode(Mode::Exit(false)));
                }
                *pc += word(code, *pc) as usize;
                Mode::Dispatch
            }
            Jump::AssertNot => {
                if ret {
                    if has_repeat {
                        self.mark_discard(ctxs[ci].lastmark);
                    }
                    return Ok(Step::Mode(Mode::Exit(false)));
                }
                if has_repeat {
                    self.mark_pop(ctxs[ci].lastmark, true);
                }
                self.r.lastmark = ctxs[ci].lastmark;
                self.r.lastindex = ctxs[ci].lastindex;
                *pc += word(code, *pc) as usize;
                Mode::Dispatch
            }
        }))
    }
}

/// The innermost context (there always is one while matching).
fn top(ctxs: &mut [Ctx]) -> &mut Ctx {
    let n = ctxs.len() - 1;
    &mut ctxs[n]
}

/// The code word at `i`; FAILURE past the end (malformed code fails
/// instead of panicking).
#[inline]
fn word(code: &[u32], i: usize) -> u32 {
    code.get(i).copied().unwrap_or(op::FAILURE)
}

/// `SRE(charset)`: whether `ch` is in the set starting at `code[pc]`.
fn charset(code: &[u32], mut pc: usize, ch: u32) -> bool {
    let mut ok = true;
    loop {
        let o = word(code, pc);
        pc += 1;
        match o {
            op::FAILURE => return !ok,
            op::LITERAL => {
                if ch == word(code, pc) {
                    return ok;
                }
                pc += 1;
            }
            op::CATEGORY => {
                if category(word(code, pc), ch) {
                    return ok;
                }
                pc += 1;
            }
            op::CHARSET => {
                if ch < 256 && word(code, pc + (ch / 32) as usize) & (1 << (ch & 31)) != 0 {
                    return ok;
                }
                pc += 8;
            }
            op::RANGE => {
                if word(code, pc) <= ch && ch <= word(code, pc + 1) {
                    return ok;
                }
                pc += 2;
            }
            op::RANGE_UNI_IGNORE => {
                if word(code, pc) <= ch && ch <= word(code, pc + 1) {
                    return ok;
                }
                let uch = upper_unicode(ch);
                if word(code, pc) <= uch && uch <= word(code, pc + 1) {
                    return ok;
                }
                pc += 2;
            }
            op::NEGATE => ok = !ok,
            op::BIGCHARSET => {
                // <BIGCHARSET> <blockcount> <256 block indices as bytes> <blocks>
                let count = word(code, pc) as usize;
                pc += 1;
                let block = if ch < 0x10000 {
                    let hi = (ch >> 8) as usize;
                    Some((word(code, pc + hi / 4) >> (8 * (hi % 4))) & 0xFF)
                } else {
                    None
                };
                pc += 64;
                if let Some(block) = block {
                    let bit = block as usize * 256 + (ch & 255) as usize;
                    if word(code, pc + bit / 32) & (1 << (ch & 31)) != 0 {
                        return ok;
                    }
                }
                pc += count * 8;
            }
            _ => return false,
        }
    }
}

fn charset_loc_ignore(code: &[u32], pc: usize, ch: u32) -> bool {
    let lo = lower_locale(ch);
    if charset(code, pc, lo) {
        return true;
    }
    let up = upper_locale(ch);
    up != lo && charset(code, pc, up)
}

impl<T: Char> State<'_, T> {
    /// `SRE(search)`: finds the first match at or after `r.start`; on
    /// success `r.start`..`r.ptr` is the match.
    pub fn search(&mut self, code: &[u32]) -> MatchResult {
        let mut ptr = self.r.start;
        let mut end = self.r.end;
        if ptr > end {
            return Ok(false);
        }
        let mut pc = 0;
        let mut flags = 0;
        let mut prefix_len = 0usize;
        let mut prefix_skip = 0usize;
        let mut prefix = 0usize;
        let mut charset_pc = None;
        if word(code, 0) == op::INFO {
            // <INFO> <skip> <flags> <min> <max> <prefix or charset>
            flags = word(code, 2);
            let min = word(code, 3) as isize;
            if min != 0 && end - ptr < min {
                return Ok(false);
            }
            if min > 1 {
                end -= min - 1;
                if end <= ptr {
                    end = ptr;
                }
            }
            if flags & INFO_PREFIX != 0 {
                prefix_len = word(code, 5) as usize;
                prefix_skip = word(code, 6) as usize;
                prefix = 7;
            } else if flags & INFO_CHARSET != 0 {
                charset_pc = Some(5);
            }
            pc = 1 + word(code, 1) as usize;
        }
        if prefix_len >= 1 {
            let end = self.r.end;
            if prefix_len as isize > end - ptr {
                return Ok(false);
            }
            let first = word(code, prefix);
            let last_start = end - prefix_len as isize;
            while ptr <= last_start {
                if self.ch(ptr) == first && (1..prefix_len).all(|k| self.ch(ptr + k as isize) == word(code, prefix + k)) {
                    self.r.must_advance = false;
                    self.r.start = ptr;
                    self.r.ptr = ptr + prefix_skip as isize;
                    if flags & INFO_LITERAL != 0 {
                        self.r.ptr = ptr + prefix_len as isize;
                        return Ok(true);
                    }
                    if self.run(code, pc + 2 * prefix_skip, false)? {
                        return Ok(true);
                    }
                    self.r.reset();
                }
                ptr += 1;
            }
            return Ok(false);
        }
        if let Some(cs) = charset_pc {
            let end = self.r.end;
            self.r.must_advance = false;
            loop {
                while ptr < end && !charset(code, cs, self.ch(ptr)) {
                    ptr += 1;
                }
                if ptr >= end {
                    return Ok(false);
                }
                self.r.start = ptr;
                self.r.ptr = ptr;
                if self.run(code, pc, false)? {
                    return Ok(true);
                }
                ptr += 1;
                self.r.reset();
            }
        }
        self.r.start = ptr;
        self.r.ptr = ptr;
        let mut status = self.run(code, pc, true)?;
        self.r.must_advance = false;
        if !status && word(code, pc) == op::AT && matches!(word(code, pc + 1), at::BEGINNING | at::BEGINNING_STRING) {
            self.r.start = end;
            self.r.ptr = end;
            return Ok(false);
        }
        while !status && ptr < end {
            ptr += 1;
            self.r.reset();
            self.r.start = ptr;
            self.r.ptr = ptr;
            status = self.run(code, pc, false)?;
        }
        Ok(status)
    }

    /// `sre_match` at `r.start` (`Pattern.match`, `fullmatch` with
    /// `r.match_all`).
    pub fn match_here(&mut self, code: &[u32]) -> MatchResult {
        self.r.ptr = self.r.start;
        self.run(code, 0, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(a|b)*c` as CPython 3.11 compiles it.
    const ALT_STAR_C: &[u32] = &[14, 4, 0, 1, 4294967295, 23, 13, 0, 4294967295, 17, 0, 13, 5, 22, 97, 98, 0, 17, 1, 18, 16, 99, 1];

    fn search<T: Char>(code: &[u32], text: &[T], groups: usize) -> Option<(isize, isize, Regs)> {
        let mut st = State::new(text, groups, 0, text.len());
        match st.search(code) {
            Ok(true) => Some((st.r.start, st.r.ptr, st.r.clone())),
            _ => None,
        }
    }

    #[test]
    fn deep_backtracking_uses_no_native_stack() {
        // A million iterations of a REPEAT with a BRANCH: each keeps a
        // backtracking context, all on the heap.
        let mut text = b"ab".repeat(500_000);
        text.push(b'c');
        let (start, end, r) = search(ALT_STAR_C, &text, 1).expect("matches");
        assert_eq!((start, end), (0, text.len() as isize));
        assert_eq!(r.group_span(1), Some((text.len() as isize - 2, text.len() as isize - 1)));
        text.pop();
        assert!(search(ALT_STAR_C, &text[..2000], 1).is_none());
    }

    #[test]
    fn lookbehind_and_possessive() {
        let lookbehind = [14, 4, 0, 1, 1, 4, 7, 2, 16, 97, 16, 98, 1, 16, 99, 1];
        assert_eq!(search(&lookbehind, b"xabc", 0).map(|m| (m.0, m.1)), Some((3, 4)));
        assert!(search(&lookbehind, b"xbc", 0).is_none());
        // a++a|(?>ab|a)b
        let code = [
            14, 4, 0, 2, 4294967295, 7, 12, 29, 6, 1, 4294967295, 16, 97, 1, 16, 97, 15, 22, 20, 27, 14, 16, 97, 7, 5, 16, 98, 15, 5, 3,
            15, 2, 0, 1, 16, 98, 15, 2, 0, 1,
        ];
        assert!(search(&code, b"aaa", 0).is_none());
        assert_eq!(search(&code, b"abb", 0).map(|m| (m.0, m.1)), Some((0, 3)));
        assert!(search(&code, b"ab", 0).is_none());
    }

    #[test]
    fn bigcharset_with_unicode_ignore_case() {
        // (?i)[\u0100-\u0200x]
        let mut code = vec![14, 4, 0, 1, 1, 39, 100, 10, 4, 50462976];
        code.extend(std::iter::repeat_n(50529027, 63));
        code.extend([0, 0, 0, 17302016, 0, 0, 0, 2147483648, 2863311530, 1437248170, 2863311701, 3567954602, 1310994729, 3998297386]);
        code.extend([3042267727, 2854857386, 2, 0, 181927936, 2392841, 265481, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        let text: Vec<u32> = "yzXĀāȀ".chars().map(|c| c as u32).collect();
        let found: Vec<isize> = (0..text.len()).filter_map(|i| search(&code, &text[i..i + 1], 0).map(|_| i as isize)).collect();
        assert_eq!(found, vec![2, 3, 4, 5]);
    }

    #[test]
    fn malformed_code_fails_without_panicking() {
        for code in [&[][..], &[13, 100][..], &[23, 2, 0, 5][..], &[18][..], &[99, 1][..], &[7, 3, 16][..]] {
            let _ = search(code, b"abc", 2);
        }
    }

    #[test]
    fn case_mappings_follow_cpython() {
        assert_eq!(lower_unicode('İ' as u32), 'i' as u32);
        assert_eq!(upper_unicode('ß' as u32), 'S' as u32);
        assert_eq!(lower_unicode('Σ' as u32), 'σ' as u32);
        assert!(unicode_iscased('ǅ' as u32));
        assert!(!unicode_iscased('1' as u32));
        assert!(ascii_iscased('Z' as u32) && !ascii_iscased('é' as u32));
        assert_eq!(lower_ascii('É' as u32), 'É' as u32);
    }
}
