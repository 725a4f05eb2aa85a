//! `_uuid`: `generate_time_safe()`, a version-1 (time-based) UUID as the
//! 16 bytes `uuid.py` reads, made here instead of by libuuid: the
//! timestamp counts 100 ns intervals since 1582-10-15 and never repeats
//! within the process (a clash moves it one step on), the clock sequence
//! is random once per process, and the node is the first network
//! interface's hardware address (`/sys/class/net`), else a random number
//! with the multicast bit set (RFC 4122 4.5). Uniqueness across processes
//! is not guaranteed, so the second item is -1 ("not generated safely"),
//! what libuuid reports without its daemon.

use std::cell::Cell;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_bytes, new_tuple};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

/// 100 ns intervals between 1582-10-15 (the Gregorian reform) and 1970.
const GREGORIAN_OFFSET: u64 = 0x01B2_1DD2_1381_4000;

#[derive(Default)]
struct State {
    last: Cell<u64>,
    clock_seq: Cell<Option<u16>>,
    node: Cell<Option<u64>>,
}

fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    if std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut b)).is_ok() {
        return u64::from_le_bytes(b);
    }
    // Without /dev/urandom: the clock's nanoseconds and the pid.
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    t ^ ((std::process::id() as u64) << 32)
}

/// The first non-zero hardware address of a network interface other than
/// loopback, as a 48-bit number.
fn hardware_node() -> Option<u64> {
    let mut names: Vec<_> = std::fs::read_dir("/sys/class/net").ok()?.filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    names.sort();
    for name in names {
        if name == "lo" {
            continue;
        }
        let path = std::path::Path::new("/sys/class/net").join(&name).join("address");
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let parts: Vec<&str> = text.trim().split(':').collect();
        if parts.len() != 6 {
            continue;
        }
        let mut node = 0u64;
        let mut ok = true;
        for p in parts {
            match u8::from_str_radix(p, 16) {
                Ok(b) => node = (node << 8) | b as u64,
                Err(_) => ok = false,
            }
        }
        if ok && node != 0 {
            return Some(node);
        }
    }
    None
}

/// The 16 bytes of a version-1 UUID from a timestamp (100 ns since
/// 1582-10-15), a clock sequence and a node.
fn uuid1_bytes(ts: u64, clock_seq: u16, node: u64) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[0..4].copy_from_slice(&((ts & 0xffff_ffff) as u32).to_be_bytes());
    b[4..6].copy_from_slice(&(((ts >> 32) & 0xffff) as u16).to_be_bytes());
    b[6..8].copy_from_slice(&((((ts >> 48) & 0x0fff) as u16) | 0x1000).to_be_bytes());
    b[8] = (((clock_seq >> 8) & 0x3f) as u8) | 0x80;
    b[9] = (clock_seq & 0xff) as u8;
    b[10..16].copy_from_slice(&node.to_be_bytes()[2..8]);
    b
}

fn generate_time_safe(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "generate_time_safe", args, kw)?;
    let st = vm.state::<State>();
    let node = match st.node.get() {
        Some(n) => n,
        None => {
            let n = hardware_node().unwrap_or_else(|| (random_u64() & 0xffff_ffff_ffff) | 0x0100_0000_0000);
            st.node.set(Some(n));
            n
        }
    };
    let clock_seq = match st.clock_seq.get() {
        Some(c) => c,
        None => {
            let c = (random_u64() & 0x3fff) as u16;
            st.clock_seq.set(Some(c));
            c
        }
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| (d.as_nanos() / 100) as u64);
    let mut ts = now + GREGORIAN_OFFSET;
    if ts <= st.last.get() {
        ts = st.last.get() + 1;
    }
    st.last.set(ts);
    let bytes = new_bytes(vm, uuid1_bytes(ts, clock_seq, node).to_vec());
    Ok(new_tuple(vm, vec![bytes, vm.int(-1)]))
}

static FUNCS: &[FunctionDef] = &[FunctionDef::new("generate_time_safe", generate_time_safe, "")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "has_uuid_generate_time_safe", vm.int(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        // uuid.UUID(fields=(0x12345678, 0x9abc, 0x1def, 0x80|0x12, 0x34, 0x0102030405)).bytes
        let ts = (0xdefu64 << 48) | (0x9abc << 32) | 0x1234_5678;
        let b = uuid1_bytes(ts, 0x1234, 0x01_0203_0405);
        assert_eq!(b, [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x1d, 0xef, 0x92, 0x34, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05]);
    }
}
