//! The eval loop. Python-to-Python calls do not recurse on the Rust stack:
//! a call pushes a [`Frame`] on the loop's own frame stack and a return
//! pops it, so deep Python recursion raises `RecursionError` at the
//! recursion limit instead of overflowing the native stack.
//!
//! Frames are plain data (code, instruction index, value stack, locals) so
//! that a JIT side exit can rebuild them later.

use crate::function::{CodeData, FunctionData};
use crate::object::Obj;
use crate::ops;
use crate::types::builtin::{self, new_list, new_tuple, str_data};
use crate::vm::{PyErr, Vm};
use crate::PyResult;
use taipan_compiler::bytecode::{decode, BinaryOp, CompareOp, Opcode};

pub struct Frame {
    code: Obj,
    ip: usize,
    stack: Vec<Obj>,
    fast: Vec<Option<Obj>>,
    globals: Obj,
    /// The locals mapping of module and class bodies (`LoadName`).
    locals: Option<Obj>,
}

impl Frame {
    /// A frame for a module body: its locals are its globals.
    pub fn module(code: Obj, globals: Obj) -> Frame {
        Frame { code, ip: 0, stack: Vec::new(), fast: Vec::new(), locals: Some(globals.clone()), globals }
    }
}

fn code_data(code: &Obj) -> &CodeData {
    match code.downcast::<CodeData>() {
        Some(c) => c,
        None => unreachable!("frame code is a code object"),
    }
}

/// Runs `frame` (and every frame it calls) to completion.
pub fn run(vm: &Vm, frame: Frame) -> PyResult<Obj> {
    let mut frames: Vec<Frame> = vec![frame];
    'frames: loop {
        let Some(f) = frames.last_mut() else { unreachable!("the loop exits when the last frame returns") };
        let code_obj = f.code.clone();
        let cd = code_data(&code_obj);
        let words = &cd.unit.code[..];
        loop {
            let (op, arg) = decode(words[f.ip]);
            let here = f.ip;
            let Some(op) = op else {
                return Err(vm.new_error(&vm.types.runtime_error, format!("invalid instruction word at {here}")));
            };
            f.ip += 1 + op.cache_words();
            let arg_usize = arg as usize;
            match op {
                Opcode::Nop => {}
                Opcode::PopTop => {
                    f.stack.pop();
                }
                Opcode::LoadConst => f.stack.push(cd.consts[arg_usize].clone()),
                Opcode::LoadFast => match &f.fast[arg_usize] {
                    Some(v) => f.stack.push(v.clone()),
                    None => {
                        let name = &cd.unit.varnames[arg_usize];
                        let msg = format!("cannot access local variable '{name}' where it is not associated with a value");
                        return Err(vm.new_error(&vm.types.name_error, msg));
                    }
                },
                Opcode::StoreFast => f.fast[arg_usize] = f.stack.pop(),
                Opcode::DeleteFast => f.fast[arg_usize] = None,
                Opcode::LoadGlobal | Opcode::LoadName => {
                    let name = &cd.names[arg_usize];
                    let mut found = None;
                    if op == Opcode::LoadName {
                        if let Some(l) = &f.locals {
                            found = builtin::dict_get(vm, l, name)?;
                        }
                    }
                    if found.is_none() {
                        found = builtin::dict_get(vm, &f.globals, name)?;
                    }
                    if found.is_none() {
                        found = builtin::dict_get(vm, &vm.builtins, name)?;
                    }
                    match found {
                        Some(v) => f.stack.push(v),
                        None => {
                            let msg = format!("name '{}' is not defined", str_data(name).as_str());
                            return Err(vm.new_error(&vm.types.name_error, msg));
                        }
                    }
                }
                Opcode::StoreGlobal | Opcode::StoreName => {
                    let v = pop(vm, &mut f.stack)?;
                    let target =
                        if op == Opcode::StoreName { f.locals.clone().unwrap_or_else(|| f.globals.clone()) } else { f.globals.clone() };
                    builtin::dict_set(vm, &target, cd.names[arg_usize].clone(), v)?;
                }
                Opcode::DeleteGlobal | Opcode::DeleteName => {
                    let target =
                        if op == Opcode::DeleteName { f.locals.clone().unwrap_or_else(|| f.globals.clone()) } else { f.globals.clone() };
                    let name = &cd.names[arg_usize];
                    if !builtin::dict_del(vm, &target, name)? {
                        let msg = format!("name '{}' is not defined", str_data(name).as_str());
                        return Err(vm.new_error(&vm.types.name_error, msg));
                    }
                }
                Opcode::BinaryOp => {
                    let b = pop(vm, &mut f.stack)?;
                    let a = pop(vm, &mut f.stack)?;
                    let bop = binary_op_code(vm, arg)?;
                    f.stack.push(ops::binary_op(vm, bop, &a, &b)?);
                }
                Opcode::UnaryOp => {
                    let a = pop(vm, &mut f.stack)?;
                    let r = match arg {
                        0 => ops::binary_op(vm, BinaryOp::Subtract, &vm.int(0), &a)?,
                        1 => a,
                        2 => ops::binary_op(vm, BinaryOp::Xor, &a, &vm.int(-1))?,
                        _ => vm.bool(!ops::truth(vm, &a)?),
                    };
                    f.stack.push(r);
                }
                Opcode::CompareOp => {
                    let b = pop(vm, &mut f.stack)?;
                    let a = pop(vm, &mut f.stack)?;
                    let cop = compare_op_code(vm, arg)?;
                    f.stack.push(ops::compare(vm, cop, &a, &b)?);
                }
                Opcode::IsOp => {
                    let b = pop(vm, &mut f.stack)?;
                    let a = pop(vm, &mut f.stack)?;
                    f.stack.push(vm.bool(a.is(&b) != (arg == 1)));
                }
                Opcode::BuildTuple | Opcode::BuildList => {
                    let at = f.stack.len().checked_sub(arg_usize).ok_or_else(|| stack_underflow(vm))?;
                    let items = f.stack.split_off(at);
                    f.stack.push(if op == Opcode::BuildTuple { new_tuple(vm, items) } else { new_list(vm, items) });
                }
                Opcode::BuildMap => {
                    let at = f.stack.len().checked_sub(2 * arg_usize).ok_or_else(|| stack_underflow(vm))?;
                    let items = f.stack.split_off(at);
                    let d = builtin::new_dict(vm);
                    for pair in items.chunks(2) {
                        builtin::dict_set(vm, &d, pair[0].clone(), pair[1].clone())?;
                    }
                    f.stack.push(d);
                }
                Opcode::Jump => f.ip = arg_usize,
                Opcode::PopJumpIfFalse | Opcode::PopJumpIfTrue => {
                    let v = pop(vm, &mut f.stack)?;
                    if ops::truth(vm, &v)? == (op == Opcode::PopJumpIfTrue) {
                        f.ip = arg_usize;
                    }
                }
                Opcode::JumpIfFalseOrPop | Opcode::JumpIfTrueOrPop => {
                    let v = f.stack.last().cloned().ok_or_else(|| stack_underflow(vm))?;
                    if ops::truth(vm, &v)? == (op == Opcode::JumpIfTrueOrPop) {
                        f.ip = arg_usize;
                    } else {
                        f.stack.pop();
                    }
                }
                Opcode::GetIter => {
                    let v = pop(vm, &mut f.stack)?;
                    f.stack.push(ops::iter(vm, &v)?);
                }
                Opcode::ForIter => {
                    let it = f.stack.last().cloned().ok_or_else(|| stack_underflow(vm))?;
                    match ops::next(vm, &it)? {
                        Some(v) => f.stack.push(v),
                        None => {
                            f.stack.pop();
                            f.ip = arg_usize;
                        }
                    }
                }
                Opcode::MakeFunction => {
                    let code = pop(vm, &mut f.stack)?;
                    let defaults = if arg & 1 != 0 {
                        let d = pop(vm, &mut f.stack)?;
                        d.downcast::<builtin::TupleData>().map_or_else(Vec::new, |t| t.items.to_vec())
                    } else {
                        Vec::new()
                    };
                    let name = builtin::new_str(vm, &code_data(&code).unit.name);
                    let func =
                        crate::object::alloc(vm.types.function.clone(), FunctionData { code, globals: f.globals.clone(), name, defaults });
                    f.stack.push(func);
                }
                Opcode::Call => {
                    let at = f.stack.len().checked_sub(arg_usize + 1).ok_or_else(|| stack_underflow(vm))?;
                    let mut args = f.stack.split_off(at);
                    let callee = args.remove(0);
                    if let Some(func) = callee.downcast::<FunctionData>() {
                        let new = enter_function(vm, func, args)?;
                        if frames.len() as u32 >= vm.recursion_limit.get() {
                            return Err(vm.new_error(&vm.types.recursion_error, "maximum recursion depth exceeded"));
                        }
                        frames.push(new);
                        continue 'frames;
                    }
                    f.stack.push(ops::call(vm, &callee, &args)?);
                }
                Opcode::ReturnValue => {
                    let v = pop(vm, &mut f.stack)?;
                    frames.pop();
                    match frames.last_mut() {
                        Some(caller) => {
                            caller.stack.push(v);
                            continue 'frames;
                        }
                        None => return Ok(v),
                    }
                }
                other => {
                    return Err(vm.new_error(&vm.types.runtime_error, format!("opcode {} is not implemented yet", other.name())));
                }
            }
        }
    }
}

/// Binds positional arguments (and defaults) to a new frame's locals.
fn enter_function(vm: &Vm, func: &FunctionData, args: Vec<Obj>) -> PyResult<Frame> {
    let cd = code_data(&func.code);
    let unit = &cd.unit;
    let argcount = unit.argcount as usize;
    let name = &unit.name;
    if args.len() > argcount {
        return Err(vm.type_error(format!(
            "{name}() takes {argcount} positional argument{} but {} were given",
            if argcount == 1 { "" } else { "s" },
            args.len()
        )));
    }
    let mut fast: Vec<Option<Obj>> = vec![None; unit.varnames.len()];
    let given = args.len();
    for (slot, a) in fast.iter_mut().zip(args) {
        *slot = Some(a);
    }
    let first_default = argcount - func.defaults.len().min(argcount);
    let mut missing = Vec::new();
    for (i, slot) in fast.iter_mut().enumerate().take(argcount).skip(given) {
        if i >= first_default {
            *slot = Some(func.defaults[i - first_default].clone());
        } else {
            missing.push(format!("'{}'", unit.varnames[i]));
        }
    }
    if !missing.is_empty() {
        let list = match missing.len() {
            1 => missing[0].clone(),
            n => format!("{} and {}", missing[..n - 1].join(", "), missing[n - 1]),
        };
        let s = if missing.len() == 1 { "" } else { "s" };
        return Err(vm.type_error(format!("{name}() missing {} required positional argument{s}: {list}", missing.len())));
    }
    Ok(Frame {
        code: func.code.clone(),
        ip: 0,
        stack: Vec::with_capacity(unit.max_stack as usize),
        fast,
        globals: func.globals.clone(),
        locals: None,
    })
}

fn pop(vm: &Vm, stack: &mut Vec<Obj>) -> PyResult<Obj> {
    stack.pop().ok_or_else(|| stack_underflow(vm))
}

fn stack_underflow(vm: &Vm) -> PyErr {
    vm.new_error(&vm.types.runtime_error, "value stack underflow (compiler bug)")
}

fn binary_op_code(vm: &Vm, arg: u32) -> PyResult<BinaryOp> {
    const ALL: [BinaryOp; 13] = [
        BinaryOp::Add,
        BinaryOp::And,
        BinaryOp::FloorDivide,
        BinaryOp::Lshift,
        BinaryOp::MatrixMultiply,
        BinaryOp::Multiply,
        BinaryOp::Remainder,
        BinaryOp::Or,
        BinaryOp::Power,
        BinaryOp::Rshift,
        BinaryOp::Subtract,
        BinaryOp::TrueDivide,
        BinaryOp::Xor,
    ];
    ALL.get(arg as usize % 13).copied().ok_or_else(|| vm.new_error(&vm.types.runtime_error, "bad binary operator"))
}

fn compare_op_code(vm: &Vm, arg: u32) -> PyResult<CompareOp> {
    const ALL: [CompareOp; 6] = [CompareOp::Lt, CompareOp::Le, CompareOp::Eq, CompareOp::Ne, CompareOp::Gt, CompareOp::Ge];
    ALL.get(arg as usize).copied().ok_or_else(|| vm.new_error(&vm.types.runtime_error, "bad comparison"))
}
