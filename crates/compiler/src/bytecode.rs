//! Taipan's bytecode: the instruction set, code units, and their text dump.
//!
//! An instruction is one 32-bit word: the opcode in the low byte, a 24-bit
//! argument above it (no `EXTENDED_ARG`). Instructions that the vm
//! specialises (PEP 659 quickening) are followed by a fixed number of
//! inline-cache words, `Opcode::cache_words`, which the compiler emits as
//! zeros and the vm owns; jump targets and the exception table count words,
//! caches included.
//!
//! A [`CodeUnit`] is plain data (no vm objects): the vm turns it into a code
//! object, constants into Python objects.

/// Declares the opcodes with their inline-cache sizes, once.
macro_rules! opcodes {
    ($($(#[doc = $doc:literal])* $name:ident = $caches:literal,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Opcode {
            $($(#[doc = $doc])* $name,)*
        }

        impl Opcode {
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name,)*];

            /// Inline-cache words that follow this instruction (a table
            /// lookup: the eval loop asks for every instruction).
            #[inline(always)]
            pub const fn cache_words(self) -> usize {
                const TABLE: &[u8] = &[$($caches,)*];
                TABLE[self as usize] as usize
            }

            pub const fn name(self) -> &'static str {
                match self {
                    $(Opcode::$name => stringify!($name),)*
                }
            }

            pub fn from_u8(b: u8) -> Option<Opcode> {
                Opcode::ALL.get(b as usize).copied()
            }
        }
    };
}

opcodes! {
    Nop = 0,
    /// Pops and discards the top of the stack.
    PopTop = 0,
    /// Pushes `consts[arg]`.
    LoadConst = 0,
    /// Pushes local variable `arg` (fast local).
    LoadFast = 0,
    StoreFast = 0,
    DeleteFast = 0,
    /// `names[arg]` in the globals, then the builtins (cache: dict versions).
    LoadGlobal = 2,
    StoreGlobal = 0,
    DeleteGlobal = 0,
    /// `names[arg]` in the frame's locals mapping (module and class bodies).
    LoadName = 0,
    StoreName = 0,
    DeleteName = 0,
    /// Cell or free variable `arg` (cells first, then free variables).
    LoadDeref = 0,
    StoreDeref = 0,
    DeleteDeref = 0,
    /// In a class body: free variable `arg`, looked up by its name in the
    /// locals mapping first (CPython's `LOAD_CLASSDEREF`).
    LoadClassDeref = 0,
    /// Pushes the cell object itself (to build a closure).
    LoadClosure = 0,
    /// Pushes `getattr(TOS, names[arg])` (cache: type version, index).
    LoadAttr = 2,
    StoreAttr = 2,
    DeleteAttr = 0,
    /// `TOS1[TOS]`.
    BinarySubscr = 1,
    /// `TOS1[TOS] = TOS2`.
    StoreSubscr = 1,
    DeleteSubscr = 0,
    /// Binary operator `arg` (a `BinaryOp` code), in place when >= 13.
    BinaryOp = 1,
    /// Unary operator: 0 `-`, 1 `+`, 2 `~`, 3 `not`.
    UnaryOp = 0,
    /// Comparison `arg` (a `CompareOp` code).
    CompareOp = 1,
    /// `is` (arg 0) or `is not` (arg 1).
    IsOp = 0,
    /// `in` (arg 0) or `not in` (arg 1).
    ContainsOp = 0,
    /// Builds a tuple / list / set from the top `arg` items.
    BuildTuple = 0,
    BuildList = 0,
    BuildSet = 0,
    /// Builds a dict from `arg` key/value pairs.
    BuildMap = 0,
    /// Calls TOS-arg-1 with `arg` positional arguments (cache: callee kind).
    Call = 2,
    /// Like `Call`, with the keyword names as a tuple on top: `arg` counts
    /// all arguments, the last ones are the keywords' values.
    CallKw = 2,
    /// Makes a function from the code constant on TOS; arg: flags for
    /// defaults, keyword defaults, annotations, closure below it.
    MakeFunction = 0,
    ReturnValue = 0,
    /// Suspends the generator's frame, producing TOS; on resumption the
    /// value sent in is pushed.
    YieldValue = 0,
    /// Unconditional jump to word `arg`.
    Jump = 0,
    PopJumpIfFalse = 0,
    PopJumpIfTrue = 0,
    /// Jumps to `arg` keeping TOS if it is false; else pops it.
    JumpIfFalseOrPop = 0,
    JumpIfTrueOrPop = 0,
    /// Pushes `iter(TOS)` in place of TOS.
    GetIter = 0,
    /// Pushes `next(TOS)`, or pops the iterator and jumps to `arg` when it
    /// is exhausted.
    ForIter = 1,
    /// Raises: arg 0 re-raises the exception being handled, 1 raises TOS,
    /// 2 raises TOS1 from TOS.
    RaiseVarargs = 0,
    /// Re-raises the exception on TOS (keeping its traceback).
    Reraise = 0,
    /// Marks the exception on TOS as being handled (for bare `raise` and
    /// `__context__`); TOS stays.
    PushExcInfo = 0,
    /// Ends handling of the innermost handled exception.
    PopExcept = 0,
    /// TOS1 is an exception, TOS a type or tuple of types: replaces TOS by
    /// whether the exception matches.
    CheckExcMatch = 0,
    /// Pops the fromlist (TOS: None or a tuple of names) and the level
    /// (TOS1, an int); pushes what `__import__(names[arg], globals, None,
    /// fromlist, level)` returns.
    ImportName = 0,
    /// Pushes attribute `names[arg]` of the module on TOS (which stays),
    /// or the submodule of that name.
    ImportFrom = 0,
    /// Pops a module and binds its public names in the local namespace
    /// (`from m import *`, module level only).
    ImportStar = 0,
    /// Pops a value and shows it with `sys.displayhook` (interactive
    /// input's expression statements).
    PrintExpr = 0,
    /// Appends TOS to the list `arg` items below it (comprehensions).
    ListAppend = 0,
    /// Sets key TOS1 to value TOS in the dict `arg` items below them.
    MapAdd = 0,
    /// Formats TOS (f-strings): `arg & 3` is the conversion (0 none, 1
    /// `!s`, 2 `!r`, 3 `!a`); with `arg & 4` the format spec is on top.
    FormatValue = 0,
    /// Concatenates the top `arg` strs.
    BuildString = 0,
    /// Pushes `__build_class__`.
    LoadBuildClass = 0,
    /// Replaces TOS (an iterable) by its `arg` items, the first on top.
    UnpackSequence = 1,
    /// Builds a slice from the top 2 (start, stop) or 3 items.
    BuildSlice = 0,
    /// Pushes a copy of TOS.
    DupTop = 0,
    /// Pushes a copy of the `arg`-th item from the top (1 = TOS).
    Copy = 0,
    /// Swaps TOS with the `arg`-th item from the top.
    Swap = 0,
    /// Extends the list `arg` items below TOS with the iterable TOS.
    ListExtend = 0,
    /// Replaces the list on TOS by a tuple of its items.
    ListToTuple = 0,
    /// Adds TOS to the set `arg` items below it.
    SetAdd = 0,
    /// Updates the set `arg` items below TOS with the iterable TOS.
    SetUpdate = 0,
    /// Updates the dict `arg` items below TOS with the mapping TOS.
    DictUpdate = 0,
    /// Like `DictUpdate` for `**` in a call: duplicate keys are an error
    /// naming the callee (`arg + 2` items below TOS).
    DictMerge = 0,
    /// Calls with a positional-arguments iterable (and with `arg & 1` a
    /// keywords dict on top).
    CallFunctionEx = 0,
    /// Unpacks TOS into `arg & 0xFF` items, a list, and `arg >> 8` items.
    UnpackEx = 0,
    /// Pushes `AssertionError` (never shadowed).
    LoadAssertionError = 0,
    /// Creates `__annotations__` in the locals mapping if missing.
    SetupAnnotations = 0,
    /// Replaces TOS (a context manager) by its bound `__exit__` and pushes
    /// the result of `__enter__()`.
    BeforeWith = 0,
    /// Like `BeforeWith` for `async with`: pushes `__aenter__()`'s
    /// awaitable.
    BeforeAsyncWith = 0,
    /// With `__exit__` below the exception on TOS: pushes
    /// `__exit__(type, exc, tb)`.
    WithExceptStart = 0,
    /// Replaces TOS by the iterator `yield from` delegates to.
    GetYieldFromIter = 0,
    /// Replaces TOS by the iterator `await` drives (arg: 0 `await`, 1
    /// `__aenter__`, 2 `__aexit__`, for the error messages).
    GetAwaitable = 0,
    /// Replaces TOS by `TOS.__aiter__()`.
    GetAIter = 0,
    /// Pushes the awaitable `TOS.__anext__()`.
    GetANext = 0,
    /// Sends TOS into the iterator below it: its next yielded value
    /// replaces TOS, or, when it finishes, its result replaces both and
    /// control jumps to `arg`.
    Send = 0,
    /// The handler of `async for`: ends the loop on StopAsyncIteration
    /// (popping it and the iterator), re-raises anything else.
    EndAsyncFor = 0,
    /// Matches the subject below TOS against pattern `consts[arg]` with the
    /// values in the tuple TOS; replaces TOS by the captures' tuple, or
    /// None.
    MatchPattern = 0,
    /// `except*`: with the exception (group) below the type on TOS,
    /// replaces them by the rest and the matching part (or None).
    CheckEgMatch = 0,
    /// `except*`: from the original exception and the list of raised ones
    /// on top, the exception to re-raise (or None).
    PrepReraiseStar = 0,
    /// Replaces TOS by two items for a `CallMethod`: the method
    /// `names[arg]` found on TOS's class and TOS itself (no bound method
    /// is made), or a null marker and `TOS.name` (cache: type version).
    LoadMethod = 2,
    /// `Call` after `LoadMethod`: the two items it pushed, then `arg`
    /// positional arguments.
    CallMethod = 2,
    /// `CallKw` after `LoadMethod`.
    CallMethodKw = 2,
}

/// One row of a code unit's exception table: an exception raised by an
/// instruction in `start..end` unwinds the value stack to `depth`, pushes
/// the exception and continues at `target`. The first matching row wins,
/// so inner handlers come first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExceptionEntry {
    pub start: u32,
    pub end: u32,
    pub target: u32,
    pub depth: u32,
}

/// `BinaryOp` argument codes (CPython's `NB_*` order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum BinaryOp {
    Add,
    And,
    FloorDivide,
    Lshift,
    MatrixMultiply,
    Multiply,
    Remainder,
    Or,
    Power,
    Rshift,
    Subtract,
    TrueDivide,
    Xor,
}

/// `CompareOp` argument codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum CompareOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

/// A constant of a code unit.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    None,
    Bool(bool),
    Ellipsis,
    /// Decimal digits for big values, or a machine word.
    Int(taipan_parser::ast::IntValue),
    Float(f64),
    Complex {
        real: f64,
        imag: f64,
    },
    Str(taipan_parser::wtf8::Wtf8Buf),
    Bytes(Box<[u8]>),
    Tuple(Box<[Const]>),
    Code(Box<CodeUnit>),
}

/// A source range for one instruction word (tracebacks use it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub lineno: u32,
    pub end_lineno: u32,
    pub col: u32,
    pub end_col: u32,
}

/// A compiled function, class body or module: CPython's code object, as
/// plain data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodeUnit {
    pub name: Box<str>,
    pub qualname: Box<str>,
    pub filename: Box<str>,
    pub firstlineno: u32,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    /// CPython's `co_flags` bits (`CO_OPTIMIZED`, `CO_NEWLOCALS`, ...).
    pub flags: u32,
    pub code: Vec<u32>,
    pub consts: Vec<Const>,
    pub names: Vec<Box<str>>,
    pub varnames: Vec<Box<str>>,
    pub cellvars: Vec<Box<str>>,
    pub freevars: Vec<Box<str>>,
    /// One entry per word of `code`.
    pub locations: Vec<Location>,
    pub exception_table: Vec<ExceptionEntry>,
    pub max_stack: u32,
}

/// Packs one instruction word.
pub const fn encode(op: Opcode, arg: u32) -> u32 {
    (op as u32) | (arg << 8)
}

/// Splits an instruction word.
pub fn decode(word: u32) -> (Option<Opcode>, u32) {
    (Opcode::from_u8((word & 0xFF) as u8), word >> 8)
}

impl CodeUnit {
    /// A readable listing (`taipan -X dis`), one instruction per line:
    /// offset, line, opcode, argument and what it refers to; nested code
    /// units follow.
    pub fn dis(&self) -> String {
        let mut out = String::new();
        self.dis_into(&mut out);
        out
    }

    fn dis_into(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = writeln!(out, "Disassembly of <code {}, line {}>:", self.qualname, self.firstlineno);
        let mut i = 0;
        while i < self.code.len() {
            let (op, arg) = decode(self.code[i]);
            let line = self.locations.get(i).map_or(0, |l| l.lineno);
            match op {
                Some(op) => {
                    let what = match op {
                        Opcode::LoadConst => self.consts.get(arg as usize).map(const_repr),
                        Opcode::LoadFast | Opcode::StoreFast | Opcode::DeleteFast => self.varnames.get(arg as usize).map(|s| s.to_string()),
                        Opcode::LoadGlobal
                        | Opcode::StoreGlobal
                        | Opcode::DeleteGlobal
                        | Opcode::LoadName
                        | Opcode::StoreName
                        | Opcode::DeleteName
                        | Opcode::LoadAttr
                        | Opcode::LoadMethod
                        | Opcode::StoreAttr
                        | Opcode::DeleteAttr => self.names.get(arg as usize).map(|s| s.to_string()),
                        Opcode::LoadDeref | Opcode::LoadClassDeref | Opcode::StoreDeref | Opcode::DeleteDeref | Opcode::LoadClosure => {
                            self.cellvars.iter().chain(self.freevars.iter()).nth(arg as usize).map(|s| s.to_string())
                        }
                        Opcode::Jump
                        | Opcode::PopJumpIfFalse
                        | Opcode::PopJumpIfTrue
                        | Opcode::JumpIfFalseOrPop
                        | Opcode::JumpIfTrueOrPop
                        | Opcode::Send
                        | Opcode::ForIter => Some(format!("to {arg}")),
                        Opcode::CompareOp => ["<", "<=", "==", "!=", ">", ">="].get(arg as usize).map(|s| s.to_string()),
                        Opcode::BinaryOp => {
                            const SYMBOLS: [&str; 13] = ["+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^"];
                            SYMBOLS.get(arg as usize % 13).map(|s| if arg >= 13 { format!("{s}=") } else { s.to_string() })
                        }
                        Opcode::ImportName | Opcode::ImportFrom => self.names.get(arg as usize).map(|s| s.to_string()),
                        _ => None,
                    };
                    let _ = match what {
                        Some(w) => writeln!(out, "{i:>6} {line:>5} {:<16} {arg:>4} ({w})", op.name()),
                        None => writeln!(out, "{i:>6} {line:>5} {:<16} {arg:>4}", op.name()),
                    };
                    i += 1 + op.cache_words();
                }
                None => {
                    let _ = writeln!(out, "{i:>6} {line:>5} <invalid {:#x}>", self.code[i]);
                    i += 1;
                }
            }
        }
        for e in &self.exception_table {
            let _ = writeln!(out, "  exception: {} to {} -> {} [{}]", e.start, e.end, e.target, e.depth);
        }
        for c in &self.consts {
            if let Const::Code(inner) = c {
                out.push('\n');
                inner.dis_into(out);
            }
        }
    }
}

/// Python's `repr` of a constant, for listings.
fn const_repr(c: &Const) -> String {
    use taipan_parser::ast::Constant as A;
    let as_ast = |c: &Const| -> Option<A> {
        Some(match c {
            Const::None => A::None,
            Const::Bool(b) => A::Bool(*b),
            Const::Ellipsis => A::Ellipsis,
            Const::Int(i) => A::Int(i.clone()),
            Const::Float(f) => A::Float(*f),
            Const::Complex { real, imag } => A::Complex { real: *real, imag: *imag },
            Const::Str(s) => A::Str(Box::new(s.clone())),
            Const::Bytes(b) => A::Bytes(b.clone()),
            _ => return None,
        })
    };
    match c {
        Const::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(const_repr).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Const::Code(u) => format!("<code object {}>", u.name),
        other => as_ast(other).map_or_else(String::new, |a| taipan_parser::repr::repr_constant(&a)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opcodes_round_trip() {
        for &op in Opcode::ALL {
            let w = encode(op, 0xABCDE);
            assert_eq!(decode(w), (Some(op), 0xABCDE));
        }
    }

    #[test]
    fn instruction_is_one_word() {
        assert_eq!(std::mem::size_of::<Opcode>(), 1);
        assert!(Opcode::ALL.len() < 256);
    }
}
