//! `_blake2`: BLAKE2b and BLAKE2s with every parameter of RFC 7693 and
//! the BLAKE2 paper's tree mode (`digest_size`, `key`, `salt`, `person`,
//! `fanout`, `depth`, `leaf_size`, `node_offset`, `node_depth`,
//! `inner_size`, `last_node`), over `blake2b_simd`/`blake2s_simd`.

use taipan_vm::modules::add_attr;
use taipan_vm::native::{bind, new_type, Params};
use taipan_vm::object::Obj;
use taipan_vm::ops;
use taipan_vm::types::builtin::{as_buffer, type_name};
use taipan_vm::types::{type_data, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::{feed, new_hash, unsigned_arg, Engine, HashData, HASH_GETSETS, HASH_METHODS};

const NAMES: &[&str] = &[
    "data",
    "digest_size",
    "key",
    "salt",
    "person",
    "fanout",
    "depth",
    "leaf_size",
    "node_offset",
    "node_depth",
    "inner_size",
    "last_node",
    "usedforsecurity",
];

/// The sizes of one variant: (max digest = max key, salt, person).
struct Variant {
    name: &'static str,
    out: usize,
    salt: usize,
    person: usize,
}

const B: Variant = Variant { name: "blake2b", out: 64, salt: 16, person: 16 };
const S: Variant = Variant { name: "blake2s", out: 32, salt: 8, person: 8 };

fn bytes_param(vm: &Vm, o: &Option<Obj>) -> PyResult<Vec<u8>> {
    match o {
        None => Ok(Vec::new()),
        Some(o) => match as_buffer(o) {
            Some(b) => Ok(b.into_owned()),
            None => Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o)))),
        },
    }
}

fn int_param(vm: &Vm, o: &Option<Obj>, default: i64) -> PyResult<i64> {
    match o {
        None => Ok(default),
        Some(o) => Ok(i64::from(ops::c_int(vm, o)?)),
    }
}

/// The checked parameters of a new BLAKE2 state.
struct Config {
    digest_size: usize,
    key: Vec<u8>,
    salt: Vec<u8>,
    person: Vec<u8>,
    fanout: u8,
    depth: u8,
    leaf_size: u32,
    node_offset: u64,
    node_depth: u8,
    inner_size: usize,
    last_node: bool,
}

fn config(vm: &Vm, v: &Variant, a: &[Option<Obj>; 13]) -> PyResult<Config> {
    let value_error = |msg: String| vm.new_error(&vm.types.value_error, msg);
    // Argument Clinic converts every argument before the checks run.
    let digest_size = int_param(vm, &a[1], v.out as i64)?;
    let key = bytes_param(vm, &a[2])?;
    let salt = bytes_param(vm, &a[3])?;
    let person = bytes_param(vm, &a[4])?;
    let fanout = int_param(vm, &a[5], 1)?;
    let depth = int_param(vm, &a[6], 1)?;
    let leaf_size = match &a[7] {
        Some(o) => unsigned_arg(vm, o)?,
        None => 0,
    };
    let node_offset = match &a[8] {
        Some(o) => unsigned_arg(vm, o)?,
        None => 0,
    };
    let node_depth = int_param(vm, &a[9], 0)?;
    let inner_size = int_param(vm, &a[10], 0)?;
    let last_node = match &a[11] {
        Some(o) => ops::truth(vm, o)?,
        None => false,
    };
    if digest_size <= 0 || digest_size > v.out as i64 {
        return Err(value_error(format!("digest_size must be between 1 and {} bytes", v.out)));
    }
    if salt.len() > v.salt {
        return Err(value_error(format!("maximum salt length is {} bytes", v.salt)));
    }
    if person.len() > v.person {
        return Err(value_error(format!("maximum person length is {} bytes", v.person)));
    }
    if !(0..=255).contains(&fanout) {
        return Err(value_error("fanout must be between 0 and 255".into()));
    }
    if !(1..=255).contains(&depth) {
        return Err(value_error("depth must be between 1 and 255".into()));
    }
    let Ok(leaf_size) = u32::try_from(leaf_size) else {
        return Err(vm.new_error(&vm.types.overflow_error, "leaf_size is too large"));
    };
    if v.out == 32 && node_offset > (1 << 48) - 1 {
        return Err(vm.new_error(&vm.types.overflow_error, "node_offset is too large"));
    }
    if !(0..=255).contains(&node_depth) {
        return Err(value_error("node_depth must be between 0 and 255".into()));
    }
    if inner_size < 0 || inner_size > v.out as i64 {
        return Err(value_error(format!("inner_size must be between 0 and is {}", v.out)));
    }
    if key.len() > v.out {
        return Err(value_error(format!("maximum key length is {} bytes", v.out)));
    }
    Ok(Config {
        digest_size: digest_size as usize,
        key,
        salt,
        person,
        fanout: fanout as u8,
        depth: depth as u8,
        leaf_size,
        node_offset,
        node_depth: node_depth as u8,
        inner_size: inner_size as usize,
        last_node,
    })
}

fn blake2_new(vm: &Vm, cls: &Obj, v: &Variant, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: v.name, names: NAMES, posonly: 1, kwonly: 12, required: 0 };
    let a = bind::<13>(vm, &p, args, kw)?;
    let c = config(vm, v, &a)?;
    let mut engine = if v.out == 64 {
        let mut p = blake2b_simd::Params::new();
        p.hash_length(c.digest_size)
            .key(&c.key)
            .salt(&c.salt)
            .personal(&c.person)
            .fanout(c.fanout)
            .max_depth(c.depth)
            .max_leaf_length(c.leaf_size)
            .node_offset(c.node_offset)
            .node_depth(c.node_depth)
            .inner_hash_length(c.inner_size)
            .last_node(c.last_node);
        Engine::Blake2b(Box::new(p.to_state()))
    } else {
        let mut p = blake2s_simd::Params::new();
        p.hash_length(c.digest_size)
            .key(&c.key)
            .salt(&c.salt)
            .personal(&c.person)
            .fanout(c.fanout)
            .max_depth(c.depth)
            .max_leaf_length(c.leaf_size)
            .node_offset(c.node_offset)
            .node_depth(c.node_depth)
            .inner_hash_length(c.inner_size)
            .last_node(c.last_node);
        Engine::Blake2s(Box::new(p.to_state()))
    };
    feed(vm, &mut engine, a[0].as_ref())?;
    Ok(new_hash(cls, engine))
}

fn make(vm: &Vm, v: &Variant, new: taipan_vm::types::CallFn) -> Obj {
    let slots = Slots { new: Some(new), ..Slots::default() };
    let name = format!("_blake2.{}", v.name);
    let ty = new_type::<HashData>(vm, &name, &[], false, slots, HASH_METHODS, HASH_GETSETS);
    let mut d = type_data(&ty).dict.borrow_mut();
    d.insert("SALT_SIZE", vm.int(v.salt as i64));
    d.insert("PERSON_SIZE", vm.int(v.person as i64));
    d.insert("MAX_KEY_SIZE", vm.int(v.out as i64));
    d.insert("MAX_DIGEST_SIZE", vm.int(v.out as i64));
    drop(d);
    ty
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    let b = vm.native_type("_blake2.blake2b", |vm| make(vm, &B, |vm, c, a, k| blake2_new(vm, c, &B, a, k)));
    let s = vm.native_type("_blake2.blake2s", |vm| make(vm, &S, |vm, c, a, k| blake2_new(vm, c, &S, a, k)));
    add_attr(vm, m, "blake2b", b)?;
    add_attr(vm, m, "blake2s", s)?;
    for (prefix, v) in [("BLAKE2B", &B), ("BLAKE2S", &S)] {
        add_attr(vm, m, &format!("{prefix}_SALT_SIZE"), vm.int(v.salt as i64))?;
        add_attr(vm, m, &format!("{prefix}_PERSON_SIZE"), vm.int(v.person as i64))?;
        add_attr(vm, m, &format!("{prefix}_MAX_KEY_SIZE"), vm.int(v.out as i64))?;
        add_attr(vm, m, &format!("{prefix}_MAX_DIGEST_SIZE"), vm.int(v.out as i64))?;
    }
    Ok(())
}
