//! `_sha3`: the SHA-3 functions and SHAKE extendable-output functions,
//! each a type that is its own constructor (`sha3_256(data)`); SHAKE's
//! `digest`/`hexdigest` take the output length.

use taipan_vm::modules::add_attr;
use taipan_vm::native::{bind, new_type, GetSetDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_bytes, new_str};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::{feed, new_hash, Engine, HashData, HASH_METHODS};

/// `sha3_*(data=b'', /, *, usedforsecurity=True)`; CPython 3.11 names every
/// one `sha3_224` in its argument errors.
fn sha3_new(vm: &Vm, cls: &Obj, mut engine: Engine, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "sha3_224", names: &["data", "usedforsecurity"], posonly: 1, kwonly: 1, required: 0 };
    let [data, _] = bind::<2>(vm, &p, args, kw)?;
    feed(vm, &mut engine, data.as_ref())?;
    Ok(new_hash(cls, engine))
}

/// Rate (bits), capacity (bits) and padding suffix of the sponge.
fn sponge(vm: &Vm, o: &Obj) -> PyResult<(i64, i64, u8)> {
    let h = o.downcast::<HashData>().ok_or_else(|| vm.type_error("expected a SHA3 object"))?;
    let rate = h.engine.borrow().block_size() as i64 * 8;
    let suffix = if matches!(&*h.engine.borrow(), Engine::Shake128(_) | Engine::Shake256(_)) { 0x1f } else { 0x06 };
    Ok((rate, 1600 - rate, suffix))
}

static SHA3_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("name", super::get_name, ""),
    GetSetDef::readonly("digest_size", super::get_digest_size, ""),
    GetSetDef::readonly("block_size", super::get_block_size, ""),
    GetSetDef::readonly("_capacity_bits", |vm, o| Ok(vm.int(sponge(vm, o)?.1)), ""),
    GetSetDef::readonly("_rate_bits", |vm, o| Ok(vm.int(sponge(vm, o)?.0)), ""),
    GetSetDef::readonly("_suffix", |vm, o| Ok(new_bytes(vm, vec![sponge(vm, o)?.2])), ""),
];

fn make(vm: &Vm, name: &str, new: taipan_vm::types::CallFn) -> Obj {
    let slots = Slots { new: Some(new), ..Slots::default() };
    new_type::<HashData>(vm, name, &[], false, slots, HASH_METHODS, SHA3_GETSETS)
}

fn types(vm: &Vm) -> [(&'static str, Obj); 6] {
    [
        (
            "sha3_224",
            vm.native_type("_sha3.sha3_224", |vm| {
                make(vm, "_sha3.sha3_224", |vm, c, a, k| sha3_new(vm, c, Engine::Sha3_224(Default::default()), a, k))
            }),
        ),
        (
            "sha3_256",
            vm.native_type("_sha3.sha3_256", |vm| {
                make(vm, "_sha3.sha3_256", |vm, c, a, k| sha3_new(vm, c, Engine::Sha3_256(Default::default()), a, k))
            }),
        ),
        (
            "sha3_384",
            vm.native_type("_sha3.sha3_384", |vm| {
                make(vm, "_sha3.sha3_384", |vm, c, a, k| sha3_new(vm, c, Engine::Sha3_384(Default::default()), a, k))
            }),
        ),
        (
            "sha3_512",
            vm.native_type("_sha3.sha3_512", |vm| {
                make(vm, "_sha3.sha3_512", |vm, c, a, k| sha3_new(vm, c, Engine::Sha3_512(Default::default()), a, k))
            }),
        ),
        (
            "shake_128",
            vm.native_type("_sha3.shake_128", |vm| {
                make(vm, "_sha3.shake_128", |vm, c, a, k| sha3_new(vm, c, Engine::Shake128(Default::default()), a, k))
            }),
        ),
        (
            "shake_256",
            vm.native_type("_sha3.shake_256", |vm| {
                make(vm, "_sha3.shake_256", |vm, c, a, k| sha3_new(vm, c, Engine::Shake256(Default::default()), a, k))
            }),
        ),
    ]
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    for (name, ty) in types(vm) {
        add_attr(vm, m, name, ty)?;
    }
    add_attr(vm, m, "implementation", new_str(vm, "tiny_sha3"))?;
    add_attr(vm, m, "keccakopt", vm.int(0))?;
    Ok(())
}
