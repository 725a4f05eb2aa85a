//! `_random`: the Mersenne Twister (MT19937) under the pure-Python
//! `random` module, bit for bit CPython's `Modules/_randommodule.c`:
//! `seed` (an int's absolute value as 32-bit words through
//! `init_by_array`; other objects by their hash; `None` from
//! `/dev/urandom`), `random()` (53 bits from two draws),
//! `getrandbits`, `getstate`/`setstate` (624 words and the index).

use std::cell::RefCell;
use std::io::Read;

use num_bigint::{BigInt, Sign};
use num_traits::ToPrimitive;
use taipan_vm::modules::add_attr;
use taipan_vm::native::{exact, new_type, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{int_data, new_int_big, new_tuple, object_slots, type_name, IntData, TupleData};
use taipan_vm::types::{type_data, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// The generator's state.
#[derive(Clone)]
pub struct Mt {
    pub state: [u32; N],
    pub index: usize,
}

impl Default for Mt {
    fn default() -> Mt {
        let mut m = Mt { state: [0; N], index: N + 1 };
        m.init_genrand(5489);
        m
    }
}

impl Mt {
    pub fn init_genrand(&mut self, s: u32) {
        self.state[0] = s;
        for i in 1..N {
            let prev = self.state[i - 1];
            self.state[i] = 1_812_433_253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        self.index = N;
    }

    pub fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let mt = &mut self.state;
        let (mut i, mut j) = (1usize, 0usize);
        let len = key.len().max(1);
        for _ in 0..N.max(len) {
            let prev = mt[i - 1];
            let k = key.get(j).copied().unwrap_or(0);
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525)).wrapping_add(k).wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= len {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1];
            mt[i] = (mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            let mt = &mut self.state;
            let mag = |y: u32| if y & 1 == 0 { 0 } else { MATRIX_A };
            for kk in 0..N - M {
                let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + M] ^ (y >> 1) ^ mag(y);
            }
            for kk in N - M..N - 1 {
                let y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + M - N] ^ (y >> 1) ^ mag(y);
            }
            let y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
            mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ mag(y);
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// A float in [0, 1) with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }
}

/// The 32-bit words of `n` (little-endian; one zero word for 0).
fn words(n: &BigInt) -> Vec<u32> {
    let mut w = n.magnitude().to_u32_digits();
    if w.is_empty() {
        w.push(0);
    }
    w
}

pub struct RandomData {
    mt: RefCell<Mt>,
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a RandomData> {
    o.downcast::<RandomData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_random.Random' object but received '{}'", type_name(o))))
}

fn seed(vm: &Vm, r: &RandomData, arg: Option<&Obj>) -> PyResult<()> {
    let arg = arg.filter(|a| !a.is(&vm.none));
    let Some(arg) = arg else {
        let mut buf = [0u8; N * 4];
        let ok = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf)).is_ok();
        if ok {
            let key: Vec<u32> = buf.chunks(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
            r.mt.borrow_mut().init_by_array(&key);
        } else {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
            let key = [now as u32, (now >> 32) as u32, std::process::id(), (now >> 64) as u32];
            r.mt.borrow_mut().init_by_array(&key);
        }
        return Ok(());
    };
    let n = if let Some(i) = int_data(arg) {
        i.to_big()
    } else {
        // `(size_t)PyObject_Hash(arg)`.
        BigInt::from(taipan_vm::ops::hash(vm, arg)? as u64)
    };
    r.mt.borrow_mut().init_by_array(&words(&n));
    Ok(())
}

fn random_type(vm: &Vm) -> Obj {
    vm.native_type("_random.Random", |vm| {
        let slots = Slots {
            // `PyType_GenericAlloc`: a zeroed state; `__init__` seeds.
            new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), RandomData { mt: RefCell::new(Mt { state: [0; N], index: 0 }) }))),
            init: Some(random_init),
            ..object_slots()
        };
        let t = new_type::<RandomData>(vm, "_random.Random", &[], false, slots, METHODS, &[]);
        type_data(&t).weakrefable.set(true);
        let doc = "Random() -> create a random number generator with its own internal state.";
        type_data(&t).dict.borrow_mut().insert("__doc__", taipan_vm::types::builtin::new_str(vm, doc));
        taipan_vm::types::type_modified(&t);
        t
    })
}

/// `Random.__init__`: keywords are refused unless a subclass has its own
/// `__init__`; seeds from the argument (or `/dev/urandom`).
fn random_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let own_init = taipan_vm::types::lookup(&taipan_vm::types::type_of(this), "__init__")
        .zip(taipan_vm::types::lookup(&random_type(vm), "__init__"))
        .is_some_and(|(a, b)| a.is(&b));
    if own_init && !kw.is_empty() {
        return Err(vm.type_error("Random() takes no keyword arguments"));
    }
    if args.len() > 1 {
        return Err(vm.type_error("Random() requires 0 or 1 argument"));
    }
    seed(vm, data(vm, this)?, args.first())?;
    Ok(vm.none.clone())
}

fn m_seed(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "Random.seed", kw)?;
    let [n] = taipan_vm::native::at_most::<1>(vm, "seed", 0, args, &[])?;
    seed(vm, data(vm, this)?, n.as_ref())?;
    Ok(vm.none.clone())
}

fn m_random(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "Random.random", args, kw)?;
    let x = data(vm, this)?.mt.borrow_mut().next_f64();
    Ok(alloc(vm.types.float.clone(), x))
}

fn m_getrandbits(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [k] = exact::<1>(vm, "Random.getrandbits", args, kw)?;
    let k = match int_data(&k) {
        Some(IntData::Small(v)) => *v,
        Some(IntData::Big(_)) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
        None if k.downcast::<f64>().is_some() => return Err(vm.type_error("'float' object cannot be interpreted as an integer")),
        None => {
            let i = taipan_vm::ops::index(vm, &k)?;
            match int_data(&i) {
                Some(IntData::Small(v)) => *v,
                _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
            }
        }
    };
    if k > i32::MAX as i64 || k < i32::MIN as i64 {
        return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int"));
    }
    if k < 0 {
        return Err(vm.new_error(&vm.types.value_error, "number of bits must be non-negative"));
    }
    let r = data(vm, this)?;
    let mut mt = r.mt.borrow_mut();
    if k == 0 {
        return Ok(vm.int(0));
    }
    if k <= 32 {
        return Ok(vm.int((mt.next_u32() >> (32 - k)) as i64));
    }
    let n = ((k - 1) / 32 + 1) as usize;
    let mut w = Vec::with_capacity(n);
    let mut left = k;
    for _ in 0..n {
        let mut x = mt.next_u32();
        if left < 32 {
            x >>= 32 - left;
        }
        w.push(x);
        left -= 32;
    }
    drop(mt);
    let big = BigInt::from_slice(Sign::Plus, &w);
    Ok(match big.to_i64() {
        Some(v) => vm.int(v),
        None => new_int_big(vm, big),
    })
}

fn m_getstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "Random.getstate", args, kw)?;
    let mt = data(vm, this)?.mt.borrow().clone();
    let mut items: Vec<Obj> = mt.state.iter().map(|&w| vm.int(w as i64)).collect();
    items.push(vm.int(mt.index as i64));
    Ok(new_tuple(vm, items))
}

fn m_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "Random.setstate", args, kw)?;
    let Some(t) = state.downcast::<TupleData>() else { return Err(vm.type_error("state vector must be a tuple")) };
    if t.items.len() != N + 1 {
        return Err(vm.new_error(&vm.types.value_error, "state vector is the wrong size"));
    }
    let mut new = Mt { state: [0; N], index: 0 };
    for (i, item) in t.items[..N].iter().enumerate() {
        new.state[i] = unsigned_long(vm, item)? as u32;
    }
    let index = match int_data(&t.items[N]) {
        Some(IntData::Small(v)) => *v,
        Some(IntData::Big(_)) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
        None => return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&t.items[N])))),
    };
    if !(0..=N as i64).contains(&index) {
        return Err(vm.new_error(&vm.types.value_error, "invalid state"));
    }
    new.index = index as usize;
    *data(vm, this)?.mt.borrow_mut() = new;
    Ok(vm.none.clone())
}

/// `PyLong_AsUnsignedLong`.
fn unsigned_long(vm: &Vm, o: &Obj) -> PyResult<u64> {
    let Some(i) = int_data(o) else { return Err(vm.type_error("an integer is required")) };
    let b = i.to_big();
    if b.sign() == Sign::Minus {
        return Err(vm.new_error(&vm.types.overflow_error, "can't convert negative value to unsigned int"));
    }
    b.to_u64().ok_or_else(|| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long"))
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("random", m_random, "random() -> x in the interval [0, 1)."),
    MethodDef::method(
        "seed",
        m_seed,
        "seed([n]) -> None.\n\nDefaults to use urandom and falls back to a combination\nof the current time and the process identifier.",
    ),
    MethodDef::method("getstate", m_getstate, "getstate() -> tuple containing the current state."),
    MethodDef::method("setstate", m_setstate, "setstate(state) -> None.  Restores generator state."),
    MethodDef::method("getrandbits", m_getrandbits, "getrandbits(k) -> x.  Generates an int with k random bits."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "Random", random_type(vm))?;
    add_attr(vm, m, "__doc__", taipan_vm::types::builtin::new_str(vm, "Module implements the Mersenne Twister random number generator."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_outputs() {
        // mt19937ar.c's published test: init_by_array({0x123, 0x234, 0x345, 0x456}).
        let mut m = Mt::default();
        m.init_by_array(&[0x123, 0x234, 0x345, 0x456]);
        let first: Vec<u32> = (0..5).map(|_| m.next_u32()).collect();
        assert_eq!(first, [1067595299, 955945823, 477289528, 4107218783, 4228976476]);
    }

    #[test]
    fn seed_words() {
        assert_eq!(words(&BigInt::from(0)), [0]);
        assert_eq!(words(&BigInt::from(-(1i64 << 32) - 5)), [5, 1]);
    }
}
