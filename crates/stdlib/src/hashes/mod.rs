//! The built-in hash modules under `hashlib` (which falls back to them
//! when `_hashlib`, the OpenSSL binding, is absent, as here): `_md5`,
//! `_sha1`, `_sha256`, `_sha512`, `_sha3`, `_blake2`. The digests come
//! from the RustCrypto crates (`md-5`, `sha1`, `sha2`, `sha3`) and
//! `blake2b_simd`/`blake2s_simd` (which, unlike RustCrypto's `blake2`,
//! take every BLAKE2 tree parameter). Every hash object has the one
//! payload [`HashData`]; the modules differ in their constructors.

pub mod blake2;
pub mod md5;
pub mod sha1;
pub mod sha256;
pub mod sha3;
pub mod sha512;

use std::cell::RefCell;

use ::sha2::Digest;
use ::sha3::digest::{ExtendableOutput, Update, XofReader};

use taipan_vm::native::{bind, exact, new_type, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{as_buffer, int_data, new_bytes, new_str, type_name, IntData, StrData};
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

/// The running state of one hash computation.
#[derive(Clone)]
pub enum Engine {
    Md5(::md5::Md5),
    Sha1(::sha1::Sha1),
    Sha224(::sha2::Sha224),
    Sha256(::sha2::Sha256),
    Sha384(::sha2::Sha384),
    Sha512(::sha2::Sha512),
    Sha3_224(::sha3::Sha3_224),
    Sha3_256(::sha3::Sha3_256),
    Sha3_384(::sha3::Sha3_384),
    Sha3_512(::sha3::Sha3_512),
    Shake128(::sha3::Shake128),
    Shake256(::sha3::Shake256),
    Blake2b(Box<blake2b_simd::State>),
    Blake2s(Box<blake2s_simd::State>),
}

impl Engine {
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Engine::Md5(h) => Digest::update(h, data),
            Engine::Sha1(h) => Digest::update(h, data),
            Engine::Sha224(h) => Digest::update(h, data),
            Engine::Sha256(h) => Digest::update(h, data),
            Engine::Sha384(h) => Digest::update(h, data),
            Engine::Sha512(h) => Digest::update(h, data),
            Engine::Sha3_224(h) => Digest::update(h, data),
            Engine::Sha3_256(h) => Digest::update(h, data),
            Engine::Sha3_384(h) => Digest::update(h, data),
            Engine::Sha3_512(h) => Digest::update(h, data),
            Engine::Shake128(h) => Update::update(h, data),
            Engine::Shake256(h) => Update::update(h, data),
            Engine::Blake2b(h) => {
                h.update(data);
            }
            Engine::Blake2s(h) => {
                h.update(data);
            }
        }
    }

    /// The digest of what was fed so far (the state is left as it is);
    /// `len` is the output length of the SHAKE functions.
    pub fn digest(&self, len: usize) -> Vec<u8> {
        match self.clone() {
            Engine::Md5(h) => h.finalize().to_vec(),
            Engine::Sha1(h) => h.finalize().to_vec(),
            Engine::Sha224(h) => h.finalize().to_vec(),
            Engine::Sha256(h) => h.finalize().to_vec(),
            Engine::Sha384(h) => h.finalize().to_vec(),
            Engine::Sha512(h) => h.finalize().to_vec(),
            Engine::Sha3_224(h) => h.finalize().to_vec(),
            Engine::Sha3_256(h) => h.finalize().to_vec(),
            Engine::Sha3_384(h) => h.finalize().to_vec(),
            Engine::Sha3_512(h) => h.finalize().to_vec(),
            Engine::Shake128(h) => xof(h.finalize_xof(), len),
            Engine::Shake256(h) => xof(h.finalize_xof(), len),
            Engine::Blake2b(h) => h.finalize().as_bytes().to_vec(),
            Engine::Blake2s(h) => h.finalize().as_bytes().to_vec(),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Engine::Md5(_) => "md5",
            Engine::Sha1(_) => "sha1",
            Engine::Sha224(_) => "sha224",
            Engine::Sha256(_) => "sha256",
            Engine::Sha384(_) => "sha384",
            Engine::Sha512(_) => "sha512",
            Engine::Sha3_224(_) => "sha3_224",
            Engine::Sha3_256(_) => "sha3_256",
            Engine::Sha3_384(_) => "sha3_384",
            Engine::Sha3_512(_) => "sha3_512",
            Engine::Shake128(_) => "shake_128",
            Engine::Shake256(_) => "shake_256",
            Engine::Blake2b(_) => "blake2b",
            Engine::Blake2s(_) => "blake2s",
        }
    }

    /// `digest_size` (0 for the SHAKE functions, as CPython says).
    pub fn digest_size(&self) -> usize {
        match self {
            Engine::Md5(_) => 16,
            Engine::Sha1(_) => 20,
            Engine::Sha224(_) | Engine::Sha3_224(_) => 28,
            Engine::Sha256(_) | Engine::Sha3_256(_) => 32,
            Engine::Sha384(_) | Engine::Sha3_384(_) => 48,
            Engine::Sha512(_) | Engine::Sha3_512(_) => 64,
            Engine::Shake128(_) | Engine::Shake256(_) => 0,
            Engine::Blake2b(h) => h.finalize().as_bytes().len(),
            Engine::Blake2s(h) => h.finalize().as_bytes().len(),
        }
    }

    pub fn block_size(&self) -> usize {
        match self {
            Engine::Md5(_) | Engine::Sha1(_) | Engine::Sha224(_) | Engine::Sha256(_) | Engine::Blake2s(_) => 64,
            Engine::Sha384(_) | Engine::Sha512(_) | Engine::Blake2b(_) => 128,
            Engine::Sha3_224(_) => 144,
            Engine::Sha3_256(_) => 136,
            Engine::Sha3_384(_) => 104,
            Engine::Sha3_512(_) => 72,
            Engine::Shake128(_) => 168,
            Engine::Shake256(_) => 136,
        }
    }

    fn is_xof(&self) -> bool {
        matches!(self, Engine::Shake128(_) | Engine::Shake256(_))
    }
}

fn xof(mut reader: impl XofReader, len: usize) -> Vec<u8> {
    let mut out = vec![0; len];
    reader.read(&mut out);
    out
}

/// The payload of every hash object.
pub struct HashData {
    pub engine: RefCell<Engine>,
}

/// A new hash object of type `cls` running `engine`.
pub fn new_hash(cls: &Obj, engine: Engine) -> Obj {
    alloc(cls.clone(), HashData { engine: RefCell::new(engine) })
}

fn data_of<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a HashData> {
    o.downcast::<HashData>().ok_or_else(|| vm.type_error(format!("unexpected '{}' object", type_name(o))))
}

/// The bytes of `data` for `update` and the constructors: CPython's
/// `GET_BUFFER_VIEW_OR_ERROUT` messages.
pub fn buffer_arg(vm: &Vm, data: &Obj) -> PyResult<Vec<u8>> {
    if data.downcast::<StrData>().is_some() {
        return Err(vm.type_error("Strings must be encoded before hashing"));
    }
    match as_buffer(data) {
        Some(b) => Ok(b.into_owned()),
        None => Err(vm.type_error("object supporting the buffer API required")),
    }
}

/// Feeds the optional initial data of a constructor.
pub fn feed(vm: &Vm, engine: &mut Engine, data: Option<&Obj>) -> PyResult<()> {
    if let Some(d) = data {
        let bytes = buffer_arg(vm, d)?;
        engine.update(&bytes);
    }
    Ok(())
}

/// The `cannot create 'mod.name' instances` slot of the types whose
/// constructor is a module function.
pub fn no_new(vm: &Vm, cls: &Obj) -> taipan_vm::PyErr {
    vm.type_error(format!("cannot create '{}' instances", taipan_vm::types::type_data(cls).name))
}

/// A hash type made by a module function (`_md5.md5`): Python code
/// cannot instantiate it.
pub fn plain_type(vm: &Vm, name: &str) -> Obj {
    let slots = Slots { new: Some(|vm, cls, _, _| Err(no_new(vm, cls))), ..Slots::default() };
    new_type::<HashData>(vm, name, &[], false, slots, HASH_METHODS, HASH_GETSETS)
}

/// The module functions `md5(string=b'', *, usedforsecurity=True)` and
/// the like: a new object of type `ty` running `engine`.
pub fn construct(vm: &Vm, fname: &'static str, ty: Obj, mut engine: Engine, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname, names: &["string", "usedforsecurity"], posonly: 0, kwonly: 1, required: 0 };
    let [data, _] = bind::<2>(vm, &p, args, kw)?;
    feed(vm, &mut engine, data.as_ref())?;
    Ok(new_hash(&ty, engine))
}

fn hash_update(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let h = data_of(vm, this)?;
    let name = h.engine.borrow().name();
    let [data] = exact::<1>(vm, &format!("{name}.update"), args, kw)?;
    let bytes = buffer_arg(vm, &data)?;
    h.engine.borrow_mut().update(&bytes);
    Ok(vm.none.clone())
}

/// The SHAKE functions' `length` argument.
fn xof_length(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<usize> {
    let [n] = exact::<1>(vm, &format!("{name}.digest"), args, kw)?;
    match int_data(&n) {
        Some(IntData::Small(v)) if *v < 0 => Err(vm.new_error(&vm.types.value_error, "value must be positive")),
        Some(IntData::Small(v)) if *v < (1 << 29) => Ok(*v as usize),
        Some(IntData::Small(_)) => Err(vm.new_error(&vm.types.value_error, "length is too large")),
        Some(IntData::Big(b)) if b.sign() == num_bigint::Sign::Minus => Err(vm.new_error(&vm.types.value_error, "value must be positive")),
        Some(IntData::Big(_)) => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long")),
        None => Err(vm.type_error("an integer is required")),
    }
}

fn digest_bytes(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Vec<u8>> {
    let h = data_of(vm, this)?;
    let engine = h.engine.borrow();
    let name = engine.name();
    if engine.is_xof() {
        let len = xof_length(vm, name, args, kw)?;
        return Ok(engine.digest(len));
    }
    exact::<0>(vm, &format!("{name}.digest"), args, kw)?;
    Ok(engine.digest(0))
}

fn hash_digest(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = digest_bytes(vm, this, args, kw)?;
    Ok(new_bytes(vm, d))
}

/// Lower-case hexadecimal digits of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn hash_hexdigest(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = digest_bytes(vm, this, args, kw)?;
    Ok(new_str(vm, &hex(&d)))
}

fn hash_copy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let h = data_of(vm, this)?;
    let engine = h.engine.borrow().clone();
    exact::<0>(vm, &format!("{}.copy", engine.name()), args, kw)?;
    Ok(new_hash(&type_of(this), engine))
}

pub static HASH_METHODS: &[MethodDef] = &[
    MethodDef::method("update", hash_update, "Update this hash object's state with the provided string."),
    MethodDef::method("digest", hash_digest, "Return the digest value as a bytes object."),
    MethodDef::method("hexdigest", hash_hexdigest, "Return the digest value as a string of hexadecimal digits."),
    MethodDef::method("copy", hash_copy, "Return a copy of the hash object."),
];

pub(super) fn get_name(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(new_str(vm, data_of(vm, o)?.engine.borrow().name()))
}

pub(super) fn get_digest_size(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(vm.int(data_of(vm, o)?.engine.borrow().digest_size() as i64))
}

pub(super) fn get_block_size(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(vm.int(data_of(vm, o)?.engine.borrow().block_size() as i64))
}

pub static HASH_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("name", get_name, ""),
    GetSetDef::readonly("digest_size", get_digest_size, ""),
    GetSetDef::readonly("block_size", get_block_size, ""),
];

/// `o` as a non-negative integer no larger than `u64::MAX` (for the
/// BLAKE2 parameters): "value must be positive" for negatives, as
/// CPython's `PyLong_AsUnsignedLongLong` wrappers say.
pub fn unsigned_arg(vm: &Vm, o: &Obj) -> PyResult<u64> {
    let i = ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) if *v < 0 => Err(vm.new_error(&vm.types.value_error, "value must be positive")),
        Some(IntData::Small(v)) => Ok(*v as u64),
        Some(IntData::Big(b)) => {
            if b.sign() == num_bigint::Sign::Minus {
                return Err(vm.new_error(&vm.types.value_error, "value must be positive"));
            }
            let (_, digits) = b.to_u64_digits();
            match digits.as_slice() {
                [d] => Ok(*d),
                _ => Err(vm.new_error(&vm.types.overflow_error, "int too big to convert")),
            }
        }
        None => Err(vm.type_error("an integer is required")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        let mut e = Engine::Md5(Default::default());
        e.update(b"abc");
        assert_eq!(hex(&e.digest(0)), "900150983cd24fb0d6963f7d28e17f72");
        let mut e = Engine::Shake128(Default::default());
        e.update(b"a");
        assert_eq!(hex(&e.digest(5)), "85c8de88d2");
        let e = Engine::Blake2s(Box::new(blake2s_simd::Params::new().hash_length(8).to_state()));
        assert_eq!(e.digest_size(), 8);
    }
}
