//! `termios`: POSIX terminal control (CPython's `Modules/termios.c`):
//! `tcgetattr`/`tcsetattr` as the 7-item attribute list, `tcsendbreak`,
//! `tcdrain`, `tcflush`, `tcflow`, `tcgetwinsize`/`tcsetwinsize`, the
//! `termios.error` exception (`(errno, strerror)`) and the Linux
//! constants.
//!
//! # Safety
//!
//! Each `unsafe` block calls one libc function on a descriptor (a plain
//! integer: a bad one gives `EBADF`) with a pointer to a local `termios` or
//! `winsize` record that lives across the call; records handed to the C
//! library are zero-initialised (all-zero is valid for both) or were
//! filled by a successful `tcgetattr`/`TIOCGWINSZ` before.

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::ops;
use taipan_vm::sequence::getitem;
use taipan_vm::types::builtin::{bytes_data, int_data, new_bytes, new_list, new_tuple, ListData};
use taipan_vm::types::{is_subtype, lookup, type_of, Kwargs};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::posix::{fildes_arg, int_arg, sys};
use crate::util;

fn error_class(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "termios.error", &[])
}

/// `termios.error(errno, strerror)` for the last failed call.
fn last_error(vm: &Vm) -> PyErr {
    let e = sys::errno();
    let args = [vm.int(e as i64), taipan_vm::types::builtin::new_str(vm, &sys::strerror(e))];
    match error_class(vm).and_then(|c| util::call(vm, &c, &args)) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

fn check(vm: &Vm, r: libc::c_int) -> PyResult<()> {
    if r == -1 {
        Err(last_error(vm))
    } else {
        Ok(())
    }
}

fn get_attr(vm: &Vm, fd: i32) -> PyResult<libc::termios> {
    // SAFETY: all-zero is a valid `termios`; it is filled by the call.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `t` is a live local (module docs).
    check(vm, unsafe { libc::tcgetattr(fd, &mut t) })?;
    Ok(t)
}

fn tcgetattr(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "tcgetattr", args, kw)?;
    let fd = fildes_arg(vm, &fd)?;
    let t = get_attr(vm, fd)?;
    // SAFETY: reads the speeds of the record just filled in.
    let (ispeed, ospeed) = unsafe { (libc::cfgetispeed(&t), libc::cfgetospeed(&t)) };
    let canonical = t.c_lflag & libc::ICANON != 0;
    let cc =
        (0..libc::NCCS)
            .map(|i| {
                if !canonical && (i == libc::VMIN || i == libc::VTIME) {
                    vm.int(t.c_cc[i] as i64)
                } else {
                    new_bytes(vm, vec![t.c_cc[i]])
                }
            })
            .collect();
    let items = vec![
        vm.int(t.c_iflag as i64),
        vm.int(t.c_oflag as i64),
        vm.int(t.c_cflag as i64),
        vm.int(t.c_lflag as i64),
        vm.int(ispeed as i64),
        vm.int(ospeed as i64),
        new_list(vm, cc),
    ];
    Ok(new_list(vm, items))
}

/// The items of a list (empty for anything else).
fn list_copy(o: &Obj) -> Vec<Obj> {
    o.downcast::<ListData>().map(|l| l.items.borrow().clone()).unwrap_or_default()
}

/// A flag word of the attribute list (`PyLong_AsLong`, kept to its low
/// bits as C's conversion to `tcflag_t` does).
fn flag(vm: &Vm, o: &Obj) -> PyResult<u32> {
    Ok(int_arg(vm, o)? as u32)
}

fn tcsetattr(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, when, attrs] = exact::<3>(vm, "tcsetattr", args, kw)?;
    let fd = fildes_arg(vm, &fd)?;
    let when = crate::posix::c_int_arg(vm, &when)?;
    let items = list_copy(&attrs);
    if items.len() != 7 {
        return Err(vm.type_error("tcsetattr, arg 3: must be 7 element list"));
    }
    let mut t = get_attr(vm, fd)?;
    t.c_iflag = flag(vm, &items[0])?;
    t.c_oflag = flag(vm, &items[1])?;
    t.c_cflag = flag(vm, &items[2])?;
    t.c_lflag = flag(vm, &items[3])?;
    let ispeed = flag(vm, &items[4])?;
    let ospeed = flag(vm, &items[5])?;
    let cc = list_copy(&items[6]);
    if cc.len() != libc::NCCS {
        return Err(vm.type_error(format!("tcsetattr: attributes[6] must be {} element list", libc::NCCS)));
    }
    for (i, v) in cc.iter().enumerate() {
        t.c_cc[i] = match bytes_data(v) {
            Some(b) if b.len() == 1 => b[0],
            _ if int_data(v).is_some() => int_arg(vm, v)? as u8,
            _ => return Err(vm.type_error("tcsetattr: elements of attributes must be characters or integers")),
        };
    }
    // SAFETY: `t` is a live local record filled by `tcgetattr` (module docs).
    check(vm, unsafe { libc::cfsetispeed(&mut t, ispeed) })?;
    // SAFETY: as above.
    check(vm, unsafe { libc::cfsetospeed(&mut t, ospeed) })?;
    // SAFETY: as above.
    check(vm, unsafe { libc::tcsetattr(fd, when, &t) })?;
    Ok(vm.none.clone())
}

/// The `(fd, int)` functions: `tcsendbreak`, `tcflush`, `tcflow`.
fn fd_and_int(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<(i32, i32)> {
    let [fd, n] = exact::<2>(vm, name, args, kw)?;
    Ok((fildes_arg(vm, &fd)?, crate::posix::c_int_arg(vm, &n)?))
}

fn tcsendbreak(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (fd, duration) = fd_and_int(vm, "tcsendbreak", args, kw)?;
    // SAFETY: plain integers.
    check(vm, unsafe { libc::tcsendbreak(fd, duration) })?;
    Ok(vm.none.clone())
}

fn tcdrain(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "tcdrain", args, kw)?;
    let fd = fildes_arg(vm, &fd)?;
    // SAFETY: a plain integer; the wait runs without the GIL.
    let r = vm.allow_threads(move || unsafe { libc::tcdrain(fd) });
    check(vm, r)?;
    Ok(vm.none.clone())
}

fn tcflush(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (fd, queue) = fd_and_int(vm, "tcflush", args, kw)?;
    // SAFETY: plain integers.
    check(vm, unsafe { libc::tcflush(fd, queue) })?;
    Ok(vm.none.clone())
}

fn tcflow(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (fd, action) = fd_and_int(vm, "tcflow", args, kw)?;
    // SAFETY: plain integers.
    check(vm, unsafe { libc::tcflow(fd, action) })?;
    Ok(vm.none.clone())
}

fn get_winsize(vm: &Vm, fd: i32) -> PyResult<libc::winsize> {
    let mut w = libc::winsize { ws_row: 0, ws_col: 0, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: `w` is a live local `winsize`, what TIOCGWINSZ writes.
    check(vm, unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) })?;
    Ok(w)
}

fn tcgetwinsize(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "tcgetwinsize", args, kw)?;
    let fd = fildes_arg(vm, &fd)?;
    let w = get_winsize(vm, fd)?;
    Ok(new_tuple(vm, vec![vm.int(w.ws_row as i64), vm.int(w.ws_col as i64)]))
}

fn tcsetwinsize(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, size] = exact::<2>(vm, "tcsetwinsize", args, kw)?;
    let fd = fildes_arg(vm, &fd)?;
    let not_pair = || vm.type_error("tcsetwinsize, arg 2: must be a two-item sequence");
    // `PySequence_Check` and a length of 2.
    let ty = type_of(&size);
    if lookup(&ty, "__getitem__").is_none() || is_subtype(&ty, &vm.types.dict) || ops::length_opt(vm, &size)? != Some(2) {
        return Err(not_pair());
    }
    let row = getitem(vm, &size, &vm.int(0))?;
    let col = getitem(vm, &size, &vm.int(1))?;
    let mut w = get_winsize(vm, fd)?;
    let row = int_arg(vm, &row)?;
    let col = int_arg(vm, &col)?;
    let (Ok(row), Ok(col)) = (u16::try_from(row), u16::try_from(col)) else {
        return Err(vm.new_error(&vm.types.overflow_error, "winsize value(s) out of range."));
    };
    w.ws_row = row;
    w.ws_col = col;
    // SAFETY: `w` is a live local `winsize`, what TIOCSWINSZ reads.
    check(vm, unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &w) })?;
    Ok(vm.none.clone())
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("tcgetattr", tcgetattr, "Get the tty attributes for file descriptor fd."),
    FunctionDef::new("tcsetattr", tcsetattr, "Set the tty attributes for file descriptor fd."),
    FunctionDef::new("tcsendbreak", tcsendbreak, "Send a break on file descriptor fd."),
    FunctionDef::new("tcdrain", tcdrain, "Wait until all output written to file descriptor fd has been transmitted."),
    FunctionDef::new("tcflush", tcflush, "Discard queued data on file descriptor fd."),
    FunctionDef::new("tcflow", tcflow, "Suspend or resume input or output on file descriptor fd."),
    FunctionDef::new("tcgetwinsize", tcgetwinsize, "Get the tty winsize for file descriptor fd."),
    FunctionDef::new("tcsetwinsize", tcsetwinsize, "Set the tty winsize for file descriptor fd."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "error", error_class(vm)?)?;
    for (name, v) in CONSTANTS {
        add_attr(vm, m, name, vm.int(*v))?;
    }
    Ok(())
}

/// The constants CPython's module exposes on Linux; the libc crate lacks
/// the `<sys/ttydefaults.h>` control characters and a few ioctl numbers,
/// written out with their Linux values.
static CONSTANTS: &[(&str, i64)] = &[
    ("B0", libc::B0 as i64),
    ("B1000000", libc::B1000000 as i64),
    ("B110", libc::B110 as i64),
    ("B115200", libc::B115200 as i64),
    ("B1152000", libc::B1152000 as i64),
    ("B1200", libc::B1200 as i64),
    ("B134", libc::B134 as i64),
    ("B150", libc::B150 as i64),
    ("B1500000", libc::B1500000 as i64),
    ("B1800", libc::B1800 as i64),
    ("B19200", libc::B19200 as i64),
    ("B200", libc::B200 as i64),
    ("B2000000", libc::B2000000 as i64),
    ("B230400", libc::B230400 as i64),
    ("B2400", libc::B2400 as i64),
    ("B2500000", libc::B2500000 as i64),
    ("B300", libc::B300 as i64),
    ("B3000000", libc::B3000000 as i64),
    ("B3500000", libc::B3500000 as i64),
    ("B38400", libc::B38400 as i64),
    ("B4000000", libc::B4000000 as i64),
    ("B460800", libc::B460800 as i64),
    ("B4800", libc::B4800 as i64),
    ("B50", libc::B50 as i64),
    ("B500000", libc::B500000 as i64),
    ("B57600", libc::B57600 as i64),
    ("B576000", libc::B576000 as i64),
    ("B600", libc::B600 as i64),
    ("B75", libc::B75 as i64),
    ("B921600", libc::B921600 as i64),
    ("B9600", libc::B9600 as i64),
    ("BRKINT", libc::BRKINT as i64),
    ("BS0", libc::BS0 as i64),
    ("BS1", libc::BS1 as i64),
    ("BSDLY", libc::BSDLY as i64),
    ("CBAUD", libc::CBAUD as i64),
    ("CBAUDEX", libc::CBAUDEX as i64),
    ("CDSUSP", 25),
    ("CEOF", 4),
    ("CEOL", 0),
    ("CEOT", 4),
    ("CERASE", 127),
    ("CFLUSH", 15),
    ("CIBAUD", libc::CIBAUD as i64),
    ("CINTR", 3),
    ("CKILL", 21),
    ("CLNEXT", 22),
    ("CLOCAL", libc::CLOCAL as i64),
    ("CQUIT", 28),
    ("CR0", libc::CR0 as i64),
    ("CR1", libc::CR1 as i64),
    ("CR2", libc::CR2 as i64),
    ("CR3", libc::CR3 as i64),
    ("CRDLY", libc::CRDLY as i64),
    ("CREAD", libc::CREAD as i64),
    ("CRPRNT", 18),
    ("CRTSCTS", libc::CRTSCTS as i64),
    ("CS5", libc::CS5 as i64),
    ("CS6", libc::CS6 as i64),
    ("CS7", libc::CS7 as i64),
    ("CS8", libc::CS8 as i64),
    ("CSIZE", libc::CSIZE as i64),
    ("CSTART", 17),
    ("CSTOP", 19),
    ("CSTOPB", libc::CSTOPB as i64),
    ("CSUSP", 26),
    ("CWERASE", 23),
    ("ECHO", libc::ECHO as i64),
    ("ECHOCTL", libc::ECHOCTL as i64),
    ("ECHOE", libc::ECHOE as i64),
    ("ECHOK", libc::ECHOK as i64),
    ("ECHOKE", libc::ECHOKE as i64),
    ("ECHONL", libc::ECHONL as i64),
    ("ECHOPRT", libc::ECHOPRT as i64),
    ("EXTA", libc::EXTA as i64),
    ("EXTB", libc::EXTB as i64),
    ("FF0", libc::FF0 as i64),
    ("FF1", libc::FF1 as i64),
    ("FFDLY", libc::FFDLY as i64),
    ("FIOASYNC", libc::FIOASYNC as i64),
    ("FIOCLEX", libc::FIOCLEX as i64),
    ("FIONBIO", libc::FIONBIO as i64),
    ("FIONCLEX", libc::FIONCLEX as i64),
    ("FIONREAD", libc::FIONREAD as i64),
    ("FLUSHO", libc::FLUSHO as i64),
    ("HUPCL", libc::HUPCL as i64),
    ("ICANON", libc::ICANON as i64),
    ("ICRNL", libc::ICRNL as i64),
    ("IEXTEN", libc::IEXTEN as i64),
    ("IGNBRK", libc::IGNBRK as i64),
    ("IGNCR", libc::IGNCR as i64),
    ("IGNPAR", libc::IGNPAR as i64),
    ("IMAXBEL", libc::IMAXBEL as i64),
    ("INLCR", libc::INLCR as i64),
    ("INPCK", libc::INPCK as i64),
    ("IOCSIZE_MASK", 0x3fff0000),
    ("IOCSIZE_SHIFT", 16),
    ("ISIG", libc::ISIG as i64),
    ("ISTRIP", libc::ISTRIP as i64),
    ("IUCLC", libc::IUCLC as i64),
    ("IXANY", libc::IXANY as i64),
    ("IXOFF", libc::IXOFF as i64),
    ("IXON", libc::IXON as i64),
    ("NCC", 8),
    ("NCCS", libc::NCCS as i64),
    ("NL0", libc::NL0 as i64),
    ("NL1", libc::NL1 as i64),
    ("NLDLY", libc::NLDLY as i64),
    ("NOFLSH", libc::NOFLSH as i64),
    ("N_MOUSE", 2),
    ("N_PPP", 3),
    ("N_SLIP", 1),
    ("N_STRIP", 4),
    ("N_TTY", 0),
    ("OCRNL", libc::OCRNL as i64),
    ("OFDEL", libc::OFDEL as i64),
    ("OFILL", libc::OFILL as i64),
    ("OLCUC", libc::OLCUC as i64),
    ("ONLCR", libc::ONLCR as i64),
    ("ONLRET", libc::ONLRET as i64),
    ("ONOCR", libc::ONOCR as i64),
    ("OPOST", libc::OPOST as i64),
    ("PARENB", libc::PARENB as i64),
    ("PARMRK", libc::PARMRK as i64),
    ("PARODD", libc::PARODD as i64),
    ("PENDIN", libc::PENDIN as i64),
    ("TAB0", libc::TAB0 as i64),
    ("TAB1", libc::TAB1 as i64),
    ("TAB2", libc::TAB2 as i64),
    ("TAB3", libc::TAB3 as i64),
    ("TABDLY", libc::TABDLY as i64),
    ("TCFLSH", libc::TCFLSH as i64),
    ("TCGETA", libc::TCGETA as i64),
    ("TCGETS", libc::TCGETS as i64),
    ("TCIFLUSH", libc::TCIFLUSH as i64),
    ("TCIOFF", libc::TCIOFF as i64),
    ("TCIOFLUSH", libc::TCIOFLUSH as i64),
    ("TCION", libc::TCION as i64),
    ("TCOFLUSH", libc::TCOFLUSH as i64),
    ("TCOOFF", libc::TCOOFF as i64),
    ("TCOON", libc::TCOON as i64),
    ("TCSADRAIN", libc::TCSADRAIN as i64),
    ("TCSAFLUSH", libc::TCSAFLUSH as i64),
    ("TCSANOW", libc::TCSANOW as i64),
    ("TCSBRK", libc::TCSBRK as i64),
    ("TCSBRKP", libc::TCSBRKP as i64),
    ("TCSETA", libc::TCSETA as i64),
    ("TCSETAF", libc::TCSETAF as i64),
    ("TCSETAW", libc::TCSETAW as i64),
    ("TCSETS", libc::TCSETS as i64),
    ("TCSETSF", libc::TCSETSF as i64),
    ("TCSETSW", libc::TCSETSW as i64),
    ("TCXONC", libc::TCXONC as i64),
    ("TIOCCONS", libc::TIOCCONS as i64),
    ("TIOCEXCL", libc::TIOCEXCL as i64),
    ("TIOCGETD", libc::TIOCGETD as i64),
    ("TIOCGICOUNT", libc::TIOCGICOUNT as i64),
    ("TIOCGLCKTRMIOS", libc::TIOCGLCKTRMIOS as i64),
    ("TIOCGPGRP", libc::TIOCGPGRP as i64),
    ("TIOCGSERIAL", libc::TIOCGSERIAL as i64),
    ("TIOCGSOFTCAR", libc::TIOCGSOFTCAR as i64),
    ("TIOCGWINSZ", libc::TIOCGWINSZ as i64),
    ("TIOCINQ", libc::TIOCINQ as i64),
    ("TIOCLINUX", libc::TIOCLINUX as i64),
    ("TIOCMBIC", libc::TIOCMBIC as i64),
    ("TIOCMBIS", libc::TIOCMBIS as i64),
    ("TIOCMGET", libc::TIOCMGET as i64),
    ("TIOCMIWAIT", libc::TIOCMIWAIT as i64),
    ("TIOCMSET", libc::TIOCMSET as i64),
    ("TIOCM_CAR", libc::TIOCM_CAR as i64),
    ("TIOCM_CD", libc::TIOCM_CD as i64),
    ("TIOCM_CTS", libc::TIOCM_CTS as i64),
    ("TIOCM_DSR", libc::TIOCM_DSR as i64),
    ("TIOCM_DTR", libc::TIOCM_DTR as i64),
    ("TIOCM_LE", libc::TIOCM_LE as i64),
    ("TIOCM_RI", libc::TIOCM_RI as i64),
    ("TIOCM_RNG", libc::TIOCM_RNG as i64),
    ("TIOCM_RTS", libc::TIOCM_RTS as i64),
    ("TIOCM_SR", libc::TIOCM_SR as i64),
    ("TIOCM_ST", libc::TIOCM_ST as i64),
    ("TIOCNOTTY", libc::TIOCNOTTY as i64),
    ("TIOCNXCL", libc::TIOCNXCL as i64),
    ("TIOCOUTQ", libc::TIOCOUTQ as i64),
    ("TIOCPKT", libc::TIOCPKT as i64),
    ("TIOCPKT_DATA", 0),
    ("TIOCPKT_DOSTOP", 32),
    ("TIOCPKT_FLUSHREAD", 1),
    ("TIOCPKT_FLUSHWRITE", 2),
    ("TIOCPKT_NOSTOP", 16),
    ("TIOCPKT_START", 8),
    ("TIOCPKT_STOP", 4),
    ("TIOCSCTTY", libc::TIOCSCTTY as i64),
    ("TIOCSERCONFIG", libc::TIOCSERCONFIG as i64),
    ("TIOCSERGETLSR", libc::TIOCSERGETLSR as i64),
    ("TIOCSERGETMULTI", libc::TIOCSERGETMULTI as i64),
    ("TIOCSERGSTRUCT", libc::TIOCSERGSTRUCT as i64),
    ("TIOCSERGWILD", libc::TIOCSERGWILD as i64),
    ("TIOCSERSETMULTI", libc::TIOCSERSETMULTI as i64),
    ("TIOCSERSWILD", libc::TIOCSERSWILD as i64),
    ("TIOCSER_TEMT", 1),
    ("TIOCSETD", libc::TIOCSETD as i64),
    ("TIOCSLCKTRMIOS", libc::TIOCSLCKTRMIOS as i64),
    ("TIOCSPGRP", libc::TIOCSPGRP as i64),
    ("TIOCSSERIAL", libc::TIOCSSERIAL as i64),
    ("TIOCSSOFTCAR", libc::TIOCSSOFTCAR as i64),
    ("TIOCSTI", libc::TIOCSTI as i64),
    ("TIOCSWINSZ", libc::TIOCSWINSZ as i64),
    ("TOSTOP", libc::TOSTOP as i64),
    ("VDISCARD", libc::VDISCARD as i64),
    ("VEOF", libc::VEOF as i64),
    ("VEOL", libc::VEOL as i64),
    ("VEOL2", libc::VEOL2 as i64),
    ("VERASE", libc::VERASE as i64),
    ("VINTR", libc::VINTR as i64),
    ("VKILL", libc::VKILL as i64),
    ("VLNEXT", libc::VLNEXT as i64),
    ("VMIN", libc::VMIN as i64),
    ("VQUIT", libc::VQUIT as i64),
    ("VREPRINT", libc::VREPRINT as i64),
    ("VSTART", libc::VSTART as i64),
    ("VSTOP", libc::VSTOP as i64),
    ("VSUSP", libc::VSUSP as i64),
    ("VSWTC", libc::VSWTC as i64),
    ("VSWTCH", 7),
    ("VT0", libc::VT0 as i64),
    ("VT1", libc::VT1 as i64),
    ("VTDLY", libc::VTDLY as i64),
    ("VTIME", libc::VTIME as i64),
    ("VWERASE", libc::VWERASE as i64),
    ("XCASE", libc::XCASE as i64),
    ("XTABS", libc::XTABS as i64),
];
