//! `_stat`: the `S_*` file-mode constants and tests, `filemode`, and the
//! BSD flag and `ST_*` index constants (values as CPython has them on
//! Linux: the platform's `S_IF*`, zero for the types Linux lacks).

use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_str, IntData};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

static CONSTANTS: &[(&str, u32)] = &[
    ("S_IFDIR", 0o40000),
    ("S_IFCHR", 0o20000),
    ("S_IFBLK", 0o60000),
    ("S_IFREG", 0o100000),
    ("S_IFIFO", 0o10000),
    ("S_IFLNK", 0o120000),
    ("S_IFSOCK", 0o140000),
    ("S_IFDOOR", 0o0),
    ("S_IFPORT", 0o0),
    ("S_IFWHT", 0o0),
    ("S_ISUID", 0o4000),
    ("S_ISGID", 0o2000),
    ("S_ISVTX", 0o1000),
    ("S_ENFMT", 0o2000),
    ("S_IREAD", 0o400),
    ("S_IWRITE", 0o200),
    ("S_IEXEC", 0o100),
    ("S_IRWXU", 0o700),
    ("S_IRUSR", 0o400),
    ("S_IWUSR", 0o200),
    ("S_IXUSR", 0o100),
    ("S_IRWXG", 0o70),
    ("S_IRGRP", 0o40),
    ("S_IWGRP", 0o20),
    ("S_IXGRP", 0o10),
    ("S_IRWXO", 0o7),
    ("S_IROTH", 0o4),
    ("S_IWOTH", 0o2),
    ("S_IXOTH", 0o1),
    ("UF_NODUMP", 1),
    ("UF_IMMUTABLE", 2),
    ("UF_APPEND", 4),
    ("UF_OPAQUE", 8),
    ("UF_NOUNLINK", 16),
    ("UF_COMPRESSED", 32),
    ("UF_HIDDEN", 32768),
    ("SF_ARCHIVED", 65536),
    ("SF_IMMUTABLE", 131072),
    ("SF_APPEND", 262144),
    ("SF_NOUNLINK", 1048576),
    ("SF_SNAPSHOT", 2097152),
    ("ST_MODE", 0),
    ("ST_INO", 1),
    ("ST_DEV", 2),
    ("ST_NLINK", 3),
    ("ST_UID", 4),
    ("ST_GID", 5),
    ("ST_SIZE", 6),
    ("ST_ATIME", 7),
    ("ST_MTIME", 8),
    ("ST_CTIME", 9),
];

const S_IFMT: u32 = 0o170000;

/// The mode argument, as CPython's `_PyLong_AsMode_t`.
fn mode_arg(vm: &Vm, o: &Obj) -> PyResult<u32> {
    let Some(v) = taipan_vm::types::builtin::int_data(o) else { return Err(vm.type_error("an integer is required")) };
    match v {
        IntData::Small(v) if *v < 0 => Err(vm.new_error(&vm.types.overflow_error, "can't convert negative value to unsigned int")),
        IntData::Small(v) if *v <= u32::MAX as i64 => Ok(*v as u32),
        IntData::Big(_) if v.is_negative() => Err(vm.new_error(&vm.types.overflow_error, "can't convert negative value to unsigned int")),
        _ => Err(vm.new_error(&vm.types.overflow_error, "mode out of range")),
    }
}

macro_rules! test_fn {
    ($($name:ident = $fname:literal, $ty:expr, $doc:literal;)*) => {
        $(fn $name(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
            let [m] = exact::<1>(vm, $fname, args, kw)?;
            let ty: u32 = $ty;
            Ok(vm.bool(ty != 0 && mode_arg(vm, &m)? & S_IFMT == ty))
        })*
        static TESTS: &[FunctionDef] = &[$(FunctionDef::new($fname, $name, $doc)),*];
    };
}

test_fn! {
    s_isdir = "S_ISDIR", 0o040000, "S_ISDIR(mode) -> bool\n\nReturn True if mode is from a directory.";
    s_ischr = "S_ISCHR", 0o020000, "S_ISCHR(mode) -> bool\n\nReturn True if mode is from a character special device file.";
    s_isblk = "S_ISBLK", 0o060000, "S_ISBLK(mode) -> bool\n\nReturn True if mode is from a block special device file.";
    s_isreg = "S_ISREG", 0o100000, "S_ISREG(mode) -> bool\n\nReturn True if mode is from a regular file.";
    s_isfifo = "S_ISFIFO", 0o010000, "S_ISFIFO(mode) -> bool\n\nReturn True if mode is from a FIFO (named pipe).";
    s_islnk = "S_ISLNK", 0o120000, "S_ISLNK(mode) -> bool\n\nReturn True if mode is from a symbolic link.";
    s_issock = "S_ISSOCK", 0o140000, "S_ISSOCK(mode) -> bool\n\nReturn True if mode is from a socket.";
    s_isdoor = "S_ISDOOR", 0, "S_ISDOOR(mode) -> bool\n\nReturn True if mode is from a door.";
    s_isport = "S_ISPORT", 0, "S_ISPORT(mode) -> bool\n\nReturn True if mode is from an event port.";
    s_iswht = "S_ISWHT", 0, "S_ISWHT(mode) -> bool\n\nReturn True if mode is from a whiteout.";
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("S_IMODE", s_imode, "Return the portion of the file's mode that can be set by os.chmod()."),
    FunctionDef::new("S_IFMT", s_ifmt, "Return the portion of the file's mode that describes the file type."),
    FunctionDef::new("filemode", filemode, "Convert a file's mode to a string of the form '-rwxrwxrwx'"),
];

fn s_imode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [m] = exact::<1>(vm, "S_IMODE", args, kw)?;
    Ok(vm.int((mode_arg(vm, &m)? & 0o7777) as i64))
}

fn s_ifmt(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [m] = exact::<1>(vm, "S_IFMT", args, kw)?;
    Ok(vm.int((mode_arg(vm, &m)? & S_IFMT) as i64))
}

/// `filemode(mode)`: `ls -l`'s ten-character mode string.
pub fn filemode_string(mode: u32) -> String {
    let kind = match mode & S_IFMT {
        0o040000 => 'd',
        0o020000 => 'c',
        0o060000 => 'b',
        0o100000 => '-',
        0o010000 => 'p',
        0o120000 => 'l',
        0o140000 => 's',
        _ => '?',
    };
    let mut s = String::with_capacity(10);
    s.push(kind);
    let bit = |b: u32, c: char| if mode & b != 0 { c } else { '-' };
    // (read, write, execute, special bit, special char with/without x)
    for (shift, special, on_x, off_x) in [(6, 0o4000, 's', 'S'), (3, 0o2000, 's', 'S'), (0, 0o1000, 't', 'T')] {
        s.push(bit(0o4 << shift, 'r'));
        s.push(bit(0o2 << shift, 'w'));
        let x = mode & (0o1 << shift) != 0;
        s.push(match (mode & special != 0, x) {
            (true, true) => on_x,
            (true, false) => off_x,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}

fn filemode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [m] = exact::<1>(vm, "filemode", args, kw)?;
    Ok(new_str(vm, &filemode_string(mode_arg(vm, &m)?)))
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, TESTS)?;
    modules::add_functions(vm, m, FUNCS)?;
    for &(name, v) in CONSTANTS {
        modules::add_attr(vm, m, name, vm.int(v as i64))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn filemode_matches_ls() {
        assert_eq!(super::filemode_string(0o100644), "-rw-r--r--");
        assert_eq!(super::filemode_string(0o041777), "drwxrwxrwt");
        assert_eq!(super::filemode_string(0o104755), "-rwsr-xr-x");
        assert_eq!(super::filemode_string(0o102644), "-rw-r-Sr--");
        assert_eq!(super::filemode_string(0o120777), "lrwxrwxrwx");
    }
}
