//! `_opcode`: `stack_effect` for CPython 3.11's instruction set (what
//! `dis.stack_effect` answers; Taipan's own bytecode is different), and
//! `get_specialization_stats` (no statistics: `None`). The opcode numbers
//! are those of 3.11's `opcode.py`; the negative ones are the compiler's
//! pseudo-instructions (`SETUP_FINALLY` = -1 ... `POP_JUMP_IF_NOT_NONE` =
//! -10), which CPython also accepts.

use taipan_vm::modules::add_functions;
use taipan_vm::native::{bind, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::ops;
use taipan_vm::types::builtin::{int_data, IntData};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

const HAVE_ARGUMENT: i64 = 90;

/// The stack effect of `op` with argument `arg`: `jump` is `Some(true)`
/// for the branch taken, `Some(false)` for the fall-through, `None` for
/// the larger of both. `None` for an unknown opcode. C `int` arithmetic
/// (wrapping), as CPython computes it.
pub fn stack_effect(op: i64, arg: i32, jump: Option<bool>) -> Option<i32> {
    let pick = |taken: i32, not_taken: i32| match jump {
        Some(true) => taken,
        Some(false) => not_taken,
        None => taken.max(not_taken),
    };
    Some(match op {
        0 | 9 | 10 | 11 | 12 | 15 | 36 | 37 | 50 | 68 | 69 | 75 | 82 | 85 | 86 | 87 => 0,
        1 | 25 | 70 | 83 | 84 | 88 | 89 => -1,
        2 | 30 | 31 | 32 | 33 | 35 | 49 | 51 | 52 | 53 | 71 | 74 => 1,
        54 => -2,
        60 => -3,
        61 => -2,
        // Pseudo-instructions: SETUP_FINALLY, SETUP_CLEANUP, SETUP_WITH,
        // POP_BLOCK, JUMP, JUMP_NO_INTERRUPT, POP_JUMP_IF_* (virtual).
        -1 | -3 => pick(1, 0),
        -2 => pick(2, 0),
        -6..=-4 => 0,
        -10..=-7 => -1,
        // With an argument.
        90 | 96 | 97 | 107 | 108 | 114 | 115 | 117 | 118 | 119 | 122 | 125 | 128 | 129 | 138 | 145 | 146 | 162 | 163 | 164 | 165 | 171
        | 173 | 174 | 175 | 176 => -1,
        91 | 98 | 99 | 106 | 110 | 126 | 131 | 134 | 135 | 139 | 140 | 144 | 149 | 151 | 172 => 0,
        100 | 101 | 109 | 120 | 124 | 136 | 137 | 148 | 160 => 1,
        92 => arg.wrapping_sub(1),
        93 => pick(-1, 1),
        94 => (arg & 0xFF).wrapping_add(arg >> 8),
        95 => -2,
        102 | 103 | 104 | 157 => 1i32.wrapping_sub(arg),
        105 => 1i32.wrapping_sub(arg.wrapping_mul(2)),
        111 | 112 => pick(0, -1),
        116 => 1 + (arg & 1),
        123 => pick(-1, 0),
        130 | 156 | 166 => arg.wrapping_neg(),
        132 => -((arg & 0xF).count_ones() as i32),
        133 => {
            if arg == 3 {
                -2
            } else {
                -1
            }
        }
        142 => -2 - (arg & 1),
        147 | 152 => -2,
        155 => {
            if arg & 0x04 != 0 {
                -1
            } else {
                0
            }
        }
        _ => return None,
    })
}

fn c_int(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let i = ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) => Ok(*v),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
    }
}

static PARAMS: Params = Params { fname: "stack_effect", names: &["opcode", "oparg", "jump"], posonly: 2, kwonly: 1, required: 1 };

fn op_stack_effect(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if args.is_empty() {
        return Err(vm.type_error("stack_effect() takes at least 1 positional argument (0 given)"));
    }
    let [op, arg, jump] = bind::<3>(vm, &PARAMS, args, kw)?;
    let op = c_int(vm, op.as_ref().unwrap_or(&vm.none))?;
    if i32::try_from(op).is_err() {
        return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int"));
    }
    let arg = arg.filter(|a| !a.is(&vm.none));
    let oparg = if op >= HAVE_ARGUMENT {
        match arg {
            Some(a) => c_int(vm, &a)? as i32,
            None => return Err(vm.new_error(&vm.types.value_error, "stack_effect: opcode requires oparg but oparg was not specified")),
        }
    } else {
        if arg.is_some() {
            return Err(vm.new_error(&vm.types.value_error, "stack_effect: opcode does not permit oparg but oparg was specified"));
        }
        0
    };
    let jump = match jump {
        None => None,
        Some(j) if j.is(&vm.none) => None,
        Some(j) if j.is(&vm.true_) => Some(true),
        Some(j) if j.is(&vm.false_) => Some(false),
        Some(_) => return Err(vm.new_error(&vm.types.value_error, "stack_effect: jump must be False, True or None")),
    };
    // `i32::MAX` is CPython's "invalid" marker, even when wrapping
    // arithmetic produced it.
    match stack_effect(op, oparg, jump) {
        Some(e) if e != i32::MAX => Ok(vm.int(e as i64)),
        _ => Err(vm.new_error(&vm.types.value_error, "invalid opcode or oparg")),
    }
}

fn op_get_specialization_stats(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "get_specialization_stats", args, kw)?;
    Ok(vm.none.clone())
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("stack_effect", op_stack_effect, "Compute the stack effect of the opcode."),
    FunctionDef::new("get_specialization_stats", op_get_specialization_stats, "Return the specialization stats"),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    taipan_vm::modules::add_attr(vm, m, "__doc__", taipan_vm::types::builtin::new_str(vm, "Opcode support module."))?;
    add_functions(vm, m, FUNCS)
}
