//! `ossaudiodev`: the Open Sound System interface (CPython's
//! `Modules/ossaudiodev.c`): `open()` gives an `oss_audio_device` (a DSP
//! descriptor with `read`/`write`/`writeall`, the format, channel and
//! rate ioctls and the buffer queries), `openmixer()` an
//! `oss_mixer_device` (volume and recording-source ioctls); the
//! `AFMT_*`/`SNDCTL_*`/`SOUND_MIXER_*` constants, `control_labels`,
//! `control_names` and `OSSAudioError` (also `error`). Deprecated in 3.11
//! (PEP 594), so importing it warns.
//!
//! # Safety
//!
//! Each device object owns its descriptor alone (-1 once closed), so
//! closing it cannot close someone else's. Every `ioctl` gets the object's
//! descriptor, a request number from `<linux/soundcard.h>` and either no
//! argument or a pointer to a live local of the size that request reads or
//! writes (`c_int`, `AudioBufInfo`, `CountInfo`, laid out as the C structs);
//! `open` gets a NUL-terminated path; `select` gets a local `fd_set` holding
//! a descriptor below `FD_SETSIZE`; `read`/`write` go through
//! `posix::sys` with buffers of their true length.

use std::cell::Cell;
use std::ffi::CString;

use taipan_vm::classes::{call_object, getattr};
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{exact, parse_tuple, FunctionDef, GetSetDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::signals::retry_eintr;
use taipan_vm::types::builtin::{new_bytes, new_list, new_str, new_tuple, type_name, StrData};
use taipan_vm::types::bytes::buf_arg;
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::posix::{c_int_arg, err, fs_decode, os_error, sys};
use crate::util;

/// The module's integer constants (values of Linux's `<linux/soundcard.h>`).
static CONSTANTS: &[(&str, i64)] = &[
    ("AFMT_AC3", 1024),
    ("AFMT_A_LAW", 2),
    ("AFMT_IMA_ADPCM", 4),
    ("AFMT_MPEG", 512),
    ("AFMT_MU_LAW", 1),
    ("AFMT_QUERY", 0),
    ("AFMT_S16_BE", 32),
    ("AFMT_S16_LE", 16),
    ("AFMT_S16_NE", 16),
    ("AFMT_S8", 64),
    ("AFMT_U16_BE", 256),
    ("AFMT_U16_LE", 128),
    ("AFMT_U8", 8),
    ("SNDCTL_COPR_HALT", 3222553351),
    ("SNDCTL_COPR_LOAD", 3484435201),
    ("SNDCTL_COPR_RCODE", 3222553347),
    ("SNDCTL_COPR_RCVMSG", 2409906953),
    ("SNDCTL_COPR_RDATA", 3222553346),
    ("SNDCTL_COPR_RESET", 17152),
    ("SNDCTL_COPR_RUN", 3222553350),
    ("SNDCTL_COPR_SENDMSG", 3483648776),
    ("SNDCTL_COPR_WCODE", 1075069701),
    ("SNDCTL_COPR_WDATA", 1075069700),
    ("SNDCTL_DSP_BIND_CHANNEL", 3221508161),
    ("SNDCTL_DSP_CHANNELS", 3221508102),
    ("SNDCTL_DSP_GETBLKSIZE", 3221508100),
    ("SNDCTL_DSP_GETCAPS", 2147766287),
    ("SNDCTL_DSP_GETCHANNELMASK", 3221508160),
    ("SNDCTL_DSP_GETFMTS", 2147766283),
    ("SNDCTL_DSP_GETIPTR", 2148290577),
    ("SNDCTL_DSP_GETISPACE", 2148552717),
    ("SNDCTL_DSP_GETODELAY", 2147766295),
    ("SNDCTL_DSP_GETOPTR", 2148290578),
    ("SNDCTL_DSP_GETOSPACE", 2148552716),
    ("SNDCTL_DSP_GETSPDIF", 2147766339),
    ("SNDCTL_DSP_GETTRIGGER", 2147766288),
    ("SNDCTL_DSP_MAPINBUF", 2148552723),
    ("SNDCTL_DSP_MAPOUTBUF", 2148552724),
    ("SNDCTL_DSP_NONBLOCK", 20494),
    ("SNDCTL_DSP_POST", 20488),
    ("SNDCTL_DSP_PROFILE", 1074024471),
    ("SNDCTL_DSP_RESET", 20480),
    ("SNDCTL_DSP_SAMPLESIZE", 3221508101),
    ("SNDCTL_DSP_SETDUPLEX", 20502),
    ("SNDCTL_DSP_SETFMT", 3221508101),
    ("SNDCTL_DSP_SETFRAGMENT", 3221508106),
    ("SNDCTL_DSP_SETSPDIF", 1074024514),
    ("SNDCTL_DSP_SETSYNCRO", 20501),
    ("SNDCTL_DSP_SETTRIGGER", 1074024464),
    ("SNDCTL_DSP_SPEED", 3221508098),
    ("SNDCTL_DSP_STEREO", 3221508099),
    ("SNDCTL_DSP_SUBDIVIDE", 3221508105),
    ("SNDCTL_DSP_SYNC", 20481),
    ("SNDCTL_FM_4OP_ENABLE", 1074024719),
    ("SNDCTL_FM_LOAD_INSTR", 1076384007),
    ("SNDCTL_MIDI_INFO", 3228848396),
    ("SNDCTL_MIDI_MPUCMD", 3223416066),
    ("SNDCTL_MIDI_MPUMODE", 3221515521),
    ("SNDCTL_MIDI_PRETIME", 3221515520),
    ("SNDCTL_SEQ_CTRLRATE", 3221508355),
    ("SNDCTL_SEQ_GETINCOUNT", 2147766533),
    ("SNDCTL_SEQ_GETOUTCOUNT", 2147766532),
    ("SNDCTL_SEQ_GETTIME", 2147766547),
    ("SNDCTL_SEQ_NRMIDIS", 2147766539),
    ("SNDCTL_SEQ_NRSYNTHS", 2147766538),
    ("SNDCTL_SEQ_OUTOFBAND", 1074286866),
    ("SNDCTL_SEQ_PANIC", 20753),
    ("SNDCTL_SEQ_PERCMODE", 1074024710),
    ("SNDCTL_SEQ_RESET", 20736),
    ("SNDCTL_SEQ_RESETSAMPLES", 1074024713),
    ("SNDCTL_SEQ_SYNC", 20737),
    ("SNDCTL_SEQ_TESTMIDI", 1074024712),
    ("SNDCTL_SEQ_THRESHOLD", 1074024717),
    ("SNDCTL_SYNTH_CONTROL", 3483652373),
    ("SNDCTL_SYNTH_ID", 3230421268),
    ("SNDCTL_SYNTH_INFO", 3230421250),
    ("SNDCTL_SYNTH_MEMAVL", 3221508366),
    ("SNDCTL_SYNTH_REMOVESAMPLE", 3222032662),
    ("SNDCTL_TMR_CONTINUE", 21508),
    ("SNDCTL_TMR_METRONOME", 1074025479),
    ("SNDCTL_TMR_SELECT", 1074025480),
    ("SNDCTL_TMR_SOURCE", 3221509126),
    ("SNDCTL_TMR_START", 21506),
    ("SNDCTL_TMR_STOP", 21507),
    ("SNDCTL_TMR_TEMPO", 3221509125),
    ("SNDCTL_TMR_TIMEBASE", 3221509121),
    ("SOUND_MIXER_ALTPCM", 10),
    ("SOUND_MIXER_BASS", 1),
    ("SOUND_MIXER_CD", 8),
    ("SOUND_MIXER_DIGITAL1", 17),
    ("SOUND_MIXER_DIGITAL2", 18),
    ("SOUND_MIXER_DIGITAL3", 19),
    ("SOUND_MIXER_IGAIN", 12),
    ("SOUND_MIXER_IMIX", 9),
    ("SOUND_MIXER_LINE", 6),
    ("SOUND_MIXER_LINE1", 14),
    ("SOUND_MIXER_LINE2", 15),
    ("SOUND_MIXER_LINE3", 16),
    ("SOUND_MIXER_MIC", 7),
    ("SOUND_MIXER_MONITOR", 24),
    ("SOUND_MIXER_NRDEVICES", 25),
    ("SOUND_MIXER_OGAIN", 13),
    ("SOUND_MIXER_PCM", 4),
    ("SOUND_MIXER_PHONEIN", 20),
    ("SOUND_MIXER_PHONEOUT", 21),
    ("SOUND_MIXER_RADIO", 23),
    ("SOUND_MIXER_RECLEV", 11),
    ("SOUND_MIXER_SPEAKER", 5),
    ("SOUND_MIXER_SYNTH", 3),
    ("SOUND_MIXER_TREBLE", 2),
    ("SOUND_MIXER_VIDEO", 22),
    ("SOUND_MIXER_VOLUME", 0),
];

/// `control_labels`: the mixer channels' short labels (`SOUND_DEVICE_LABELS`).
static CONTROL_LABELS: [&str; 25] = [
    "Vol  ", "Bass ", "Trebl", "Synth", "Pcm  ", "Spkr ", "Line ", "Mic  ", "CD   ", "Mix  ", "Pcm2 ", "Rec  ", "IGain", "OGain", "Line1",
    "Line2", "Line3", "Digital1", "Digital2", "Digital3", "PhoneIn", "PhoneOut", "Video", "Radio", "Monitor",
];
/// `control_names`: the mixer channels' names (`SOUND_DEVICE_NAMES`).
static CONTROL_NAMES: [&str; 25] = [
    "vol", "bass", "treble", "synth", "pcm", "speaker", "line", "mic", "cd", "mix", "pcm2", "rec", "igain", "ogain", "line1", "line2",
    "line3", "dig1", "dig2", "dig3", "phin", "phout", "video", "radio", "monitor",
];

// Request numbers of <linux/soundcard.h> that the methods issue.
const SNDCTL_DSP_RESET: u64 = 0x5000;
const SNDCTL_DSP_SYNC: u64 = 0x5001;
const SNDCTL_DSP_POST: u64 = 0x5008;
const SNDCTL_DSP_NONBLOCK: u64 = 0x500e;
const SNDCTL_DSP_SPEED: u64 = 0xc004_5002;
const SNDCTL_DSP_SETFMT: u64 = 0xc004_5005;
const SNDCTL_DSP_CHANNELS: u64 = 0xc004_5006;
const SNDCTL_DSP_GETFMTS: u64 = 0x8004_500b;
const SNDCTL_DSP_GETOSPACE: u64 = 0x8010_500c;
const SNDCTL_DSP_GETIPTR: u64 = 0x800c_5011;
const SNDCTL_DSP_GETOPTR: u64 = 0x800c_5012;
/// `MIXER_READ(channel)` is this ORed with the channel (`_IOR('M', ch, int)`).
const MIXER_READ: u64 = 0x8004_4d00;
/// `MIXER_WRITE(channel)`: `_IOWR('M', ch, int)`.
const MIXER_WRITE: u64 = 0xc004_4d00;
const SOUND_MIXER_STEREODEVS: u64 = 0xfb;
const SOUND_MIXER_RECMASK: u64 = 0xfd;
const SOUND_MIXER_DEVMASK: u64 = 0xfe;
const SOUND_MIXER_RECSRC: u64 = 0xff;
const SOUND_MIXER_NRDEVICES: i32 = 25;

const AFMT_MU_LAW: i32 = 1;
const AFMT_A_LAW: i32 = 2;
const AFMT_U8: i32 = 8;
const AFMT_S16_LE: i32 = 16;
const AFMT_S16_BE: i32 = 32;
const AFMT_S8: i32 = 64;
const AFMT_U16_LE: i32 = 128;
const AFMT_U16_BE: i32 = 256;

/// `audio_buf_info`, filled by `SNDCTL_DSP_GETOSPACE`.
#[repr(C)]
#[derive(Default)]
struct AudioBufInfo {
    fragments: libc::c_int,
    fragstotal: libc::c_int,
    fragsize: libc::c_int,
    bytes: libc::c_int,
}

/// `count_info`, filled by `SNDCTL_DSP_GETIPTR`/`GETOPTR`.
#[repr(C)]
#[derive(Default)]
struct CountInfo {
    bytes: libc::c_int,
    blocks: libc::c_int,
    ptr: libc::c_int,
}

static FUNCTIONS: &[FunctionDef] = &[FunctionDef::new("open", oss_open, ""), FunctionDef::new("openmixer", oss_openmixer, "")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    let error = error_class(vm)?;
    add_attr(vm, m, "error", error.clone())?;
    add_attr(vm, m, "OSSAudioError", error)?;
    let labels = CONTROL_LABELS.iter().map(|s| new_str(vm, s)).collect();
    add_attr(vm, m, "control_labels", new_list(vm, labels))?;
    let names = CONTROL_NAMES.iter().map(|s| new_str(vm, s)).collect();
    add_attr(vm, m, "control_names", new_list(vm, names))?;
    for (name, value) in CONSTANTS {
        add_attr(vm, m, name, vm.int(*value))?;
    }
    util::warn_deprecated_module(vm, "ossaudiodev")
}

fn error_class(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "ossaudiodev.OSSAudioError", &[])
}

fn audio_error(vm: &Vm, msg: &str) -> PyErr {
    match error_class(vm).and_then(|c| call_object(vm, &c, &[new_str(vm, msg)])) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

fn last_os_error(vm: &Vm) -> PyErr {
    os_error(vm, sys::errno(), None, None)
}

/// A `PyArg_ParseTuple` "s" argument: a str without NUL, as UTF-8.
fn str_arg(vm: &Vm, fname: Option<&str>, pos: usize, o: &Obj) -> PyResult<CString> {
    if o.downcast::<StrData>().is_none() {
        let who = fname.map_or_else(String::new, |f| format!("{f}() "));
        return Err(vm.type_error(format!("{who}argument {pos} must be str, not {}", type_name(o))));
    }
    let bytes = taipan_vm::codecs::encode_obj(vm, o, "utf-8", "strict")?;
    CString::new(bytes).map_err(|_| vm.new_error(&vm.types.value_error, "embedded null character"))
}

/// The device to open: the argument, else the environment variable, else
/// the default path.
fn device_name(vm: &Vm, given: Option<Obj>, env: &str, default: &str) -> PyResult<Obj> {
    match given {
        Some(name) => Ok(name),
        None => match std::env::var_os(env) {
            Some(v) => fs_decode(vm, std::os::unix::ffi::OsStrExt::as_bytes(v.as_os_str())),
            None => Ok(new_str(vm, default)),
        },
    }
}

/// `open(2)` with close-on-exec, retried on EINTR; `OSError` names the file.
fn open_device(vm: &Vm, name: &Obj, path: &CString, flags: i32) -> PyResult<i32> {
    let fd = retry_eintr(vm, || {
        // SAFETY: `path` is NUL-terminated (module docs).
        let fd = unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC) };
        if fd < 0 {
            Err(sys::errno())
        } else {
            Ok(fd)
        }
    })?;
    fd.map_err(|e| os_error(vm, e, Some(name), None))
}

fn close_fd(fd: i32) {
    // SAFETY: the descriptor belongs to the closing object alone.
    unsafe { libc::close(fd) };
}

/// `ioctl(fd, request, &value)` for the requests that read and/or write a
/// C int; the value the driver left.
fn ioctl_int(vm: &Vm, fd: i32, request: u64, value: i32) -> PyResult<i32> {
    let mut v: libc::c_int = value;
    // SAFETY: `v` is a live local int, what these requests take (module docs).
    if unsafe { libc::ioctl(fd, request as libc::Ioctl, &mut v) } == -1 {
        return Err(last_os_error(vm));
    }
    Ok(v)
}

/// An argument-less request that can block (sync, reset, post): run
/// without the GIL.
fn ioctl_none(vm: &Vm, fd: i32, request: u64) -> PyResult<Obj> {
    // SAFETY: these requests take no argument (module docs).
    let r = vm.allow_threads(|| if unsafe { libc::ioctl(fd, request as libc::Ioctl, 0) } == -1 { Err(sys::errno()) } else { Ok(()) });
    r.map_err(|e| os_error(vm, e, None, None))?;
    Ok(vm.none.clone())
}

fn closed_device(vm: &Vm) -> PyErr {
    vm.new_error(&vm.types.value_error, "Operation on closed OSS device.")
}

/// `self.close()`, what `__exit__` calls (a subclass may override it).
fn call_close(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let close = getattr(vm, this, &vm.intern("close"))?;
    call_object(vm, &close, &[])?;
    Ok(vm.none.clone())
}

/// A device's descriptor, owned by one device object: -1 once closed,
/// closed when the object goes.
struct DeviceFd(Cell<i32>);

impl DeviceFd {
    /// The open descriptor, or "Operation on closed OSS device.".
    fn get(&self, vm: &Vm) -> PyResult<i32> {
        match self.0.get() {
            fd if fd >= 0 => Ok(fd),
            _ => Err(closed_device(vm)),
        }
    }

    fn is_closed(&self) -> bool {
        self.0.get() < 0
    }

    /// Forgets the descriptor, giving it to the caller to close.
    fn take(&self) -> Option<i32> {
        let fd = self.0.replace(-1);
        (fd >= 0).then_some(fd)
    }
}

impl Drop for DeviceFd {
    fn drop(&mut self) {
        if let Some(fd) = self.take() {
            close_fd(fd);
        }
    }
}

// ------------------------------------------------------------------ audio device

/// An `oss_audio_device`: the DSP descriptor (-1 once closed), its name,
/// open mode and the byte counts moved through it.
pub struct AudioDevice {
    fd: DeviceFd,
    name: Obj,
    mode: i32,
    icount: Cell<i64>,
    ocount: Cell<i64>,
}

static AUDIO_METHODS: &[MethodDef] = &[
    MethodDef::method("read", dsp_read, ""),
    MethodDef::method("write", dsp_write, ""),
    MethodDef::method("writeall", dsp_writeall, ""),
    MethodDef::method("close", dsp_close, ""),
    MethodDef::method("fileno", dsp_fileno, ""),
    MethodDef::method("nonblock", dsp_nonblock, ""),
    MethodDef::method("setfmt", dsp_setfmt, ""),
    MethodDef::method("getfmts", dsp_getfmts, ""),
    MethodDef::method("channels", dsp_channels, ""),
    MethodDef::method("speed", dsp_speed, ""),
    MethodDef::method("sync", dsp_sync, ""),
    MethodDef::method("reset", dsp_reset, ""),
    MethodDef::method("post", dsp_post, ""),
    MethodDef::method("setparameters", dsp_setparameters, ""),
    MethodDef::method("bufsize", dsp_bufsize, ""),
    MethodDef::method("obufcount", dsp_obufcount, ""),
    MethodDef::method("obuffree", dsp_obuffree, ""),
    MethodDef::method("getptr", dsp_getptr, ""),
    // The old name of sync().
    MethodDef::method("flush", dsp_sync, ""),
    MethodDef::method("__enter__", dsp_enter, ""),
    MethodDef::method("__exit__", dsp_exit, ""),
];

static AUDIO_GETSETS: &[GetSetDef] =
    &[GetSetDef::readonly("closed", dsp_closed, ""), GetSetDef::readonly("mode", dsp_mode, ""), GetSetDef::readonly("name", dsp_name, "")];

fn audio_type(vm: &Vm) -> Obj {
    vm.native_type("ossaudiodev.oss_audio_device", |vm| {
        let t = taipan_vm::native::new_type::<AudioDevice>(
            vm,
            "ossaudiodev.oss_audio_device",
            &[],
            false,
            Slots::default(),
            AUDIO_METHODS,
            AUDIO_GETSETS,
        );
        taipan_vm::types::type_data(&t).is_final.set(true);
        t
    })
}

/// `open([device, ]mode)`: the device defaults to `$AUDIODEV`, then
/// `/dev/dsp`.
fn oss_open(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [first, second] = parse_tuple::<2>(vm, "open", true, 1, args, kw)?;
    let first = first.unwrap_or_else(|| vm.none.clone());
    let first_c = str_arg(vm, Some("open"), 1, &first)?;
    let (given, given_c, mode) = match &second {
        Some(mode) => {
            let mode_c = str_arg(vm, Some("open"), 2, mode)?;
            (Some(first), Some(first_c), mode_c)
        }
        None => (None, None, first_c),
    };
    let flags = match mode.as_bytes() {
        b"r" => libc::O_RDONLY,
        b"w" => libc::O_WRONLY,
        b"rw" => libc::O_RDWR,
        _ => return Err(audio_error(vm, "mode must be 'r', 'w', or 'rw'")),
    };
    let name = device_name(vm, given, "AUDIODEV", "/dev/dsp")?;
    let path = match given_c {
        Some(c) => c,
        None => str_arg(vm, None, 1, &name)?,
    };
    // Opened non-blocking so that a device allowing one user at a time
    // refuses at once instead of hanging; I/O is blocking again afterwards
    // (OSS has its own ioctl for non-blocking I/O: nonblock()).
    let fd = open_device(vm, &name, &path, flags | libc::O_NONBLOCK)?;
    // SAFETY: `fd` was just opened by us.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, 0) } == -1 {
        let e = sys::errno();
        close_fd(fd);
        return Err(os_error(vm, e, Some(&name), None));
    }
    let mut formats: libc::c_int = 0;
    // SAFETY: `formats` is a live local int (module docs).
    if unsafe { libc::ioctl(fd, SNDCTL_DSP_GETFMTS as libc::Ioctl, &mut formats) } == -1 {
        let e = sys::errno();
        close_fd(fd);
        return Err(os_error(vm, e, Some(&name), None));
    }
    let device = AudioDevice { fd: DeviceFd(Cell::new(fd)), name, mode: flags, icount: Cell::new(0), ocount: Cell::new(0) };
    Ok(alloc(audio_type(vm), device))
}

fn device<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a AudioDevice> {
    o.downcast::<AudioDevice>().ok_or_else(|| vm.type_error("oss_audio_device expected"))
}

/// The open descriptor, or "Operation on closed OSS device.".
fn dsp_fd(vm: &Vm, o: &Obj) -> PyResult<i32> {
    device(vm, o)?.fd.get(vm)
}

fn dsp_read(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    let [size] = parse_tuple::<1>(vm, "read", true, 1, args, kw)?;
    let size = util::to_isize(vm, size.as_ref().unwrap_or(&vm.none))?;
    let Ok(size) = usize::try_from(size) else {
        let system_error = vm.exception_type("SystemError").unwrap_or_else(|| vm.types.exception.clone());
        return Err(vm.new_error(&system_error, "Negative size passed to PyBytes_FromStringAndSize"));
    };
    let data = err(vm, retry_eintr(vm, || sys::read(fd, size))?)?;
    let d = device(vm, this)?;
    d.icount.set(d.icount.get() + data.len() as i64);
    Ok(new_bytes(vm, data))
}

/// A "y*" argument: any bytes-like object.
fn data_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    Ok(buf_arg(vm, o)?.into_owned())
}

fn dsp_write(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    let [data] = parse_tuple::<1>(vm, "write", true, 1, args, kw)?;
    let data = data_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let written = err(vm, retry_eintr(vm, || sys::write(fd, &data))?)?;
    let d = device(vm, this)?;
    d.ocount.set(d.ocount.get() + written as i64);
    Ok(vm.int(written as i64))
}

/// Waits (without the GIL) until `fd` is writable.
fn wait_writable(vm: &Vm, fd: i32) -> PyResult<()> {
    let r = vm.allow_threads(|| {
        // SAFETY: all-zero is an empty `fd_set`; `fd` is below FD_SETSIZE
        // (checked by the caller), so FD_SET stays inside it.
        let mut set: libc::fd_set = unsafe { std::mem::zeroed() };
        unsafe { libc::FD_SET(fd, &mut set) };
        // SAFETY: `set` is a live local; the other sets and the timeout are null.
        let r = unsafe { libc::select(fd + 1, std::ptr::null_mut(), &mut set, std::ptr::null_mut(), std::ptr::null_mut()) };
        if r == -1 {
            Err(sys::errno())
        } else {
            Ok(())
        }
    });
    r.map_err(|e| os_error(vm, e, None, None))
}

/// `writeall(data)`: writes everything, waiting for room between writes
/// (useful after `nonblock()`).
fn dsp_writeall(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    let [data] = parse_tuple::<1>(vm, "writeall", true, 1, args, kw)?;
    let data = data_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    if fd >= libc::FD_SETSIZE as i32 {
        return Err(vm.new_error(&vm.types.value_error, "file descriptor out of range for select"));
    }
    let mut rest: &[u8] = &data;
    while !rest.is_empty() {
        wait_writable(vm, fd)?;
        let chunk = &rest[..rest.len().min(i32::MAX as usize)];
        match retry_eintr(vm, || sys::write(fd, chunk))? {
            Ok(n) => {
                let d = device(vm, this)?;
                d.ocount.set(d.ocount.get() + n as i64);
                rest = &rest[n..];
            }
            // The device's buffer is full: wait again.
            Err(libc::EAGAIN) => {}
            Err(e) => return Err(os_error(vm, e, None, None)),
        }
    }
    Ok(vm.none.clone())
}

fn dsp_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    if let Some(fd) = device(vm, this)?.fd.take() {
        vm.allow_threads(|| close_fd(fd));
    }
    Ok(vm.none.clone())
}

fn dsp_fileno(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "fileno", args, kw)?;
    Ok(vm.int(dsp_fd(vm, this)? as i64))
}

fn dsp_nonblock(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "nonblock", args, kw)?;
    let fd = dsp_fd(vm, this)?;
    // There is no way back to blocking mode: OSS has no such request.
    // SAFETY: the request takes no argument (module docs).
    if unsafe { libc::ioctl(fd, SNDCTL_DSP_NONBLOCK as libc::Ioctl, 0) } == -1 {
        return Err(last_os_error(vm));
    }
    Ok(vm.none.clone())
}

/// The `arg = dsp.xxx(arg)` requests: set a value, get what the driver
/// chose.
fn set_int(vm: &Vm, fd: i32, fname: &str, request: u64, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [value] = parse_tuple::<1>(vm, fname, true, 1, args, kw)?;
    let value = c_int_arg(vm, value.as_ref().unwrap_or(&vm.none))?;
    Ok(vm.int(ioctl_int(vm, fd, request, value)? as i64))
}

fn dsp_setfmt(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    set_int(vm, fd, "setfmt", SNDCTL_DSP_SETFMT, args, kw)
}

fn dsp_getfmts(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getfmts", args, kw)?;
    let fd = dsp_fd(vm, this)?;
    Ok(vm.int(ioctl_int(vm, fd, SNDCTL_DSP_GETFMTS, 0)? as i64))
}

fn dsp_channels(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    set_int(vm, fd, "channels", SNDCTL_DSP_CHANNELS, args, kw)
}

fn dsp_speed(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    set_int(vm, fd, "speed", SNDCTL_DSP_SPEED, args, kw)
}

fn dsp_sync(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    parse_tuple::<0>(vm, "sync", true, 0, args, kw)?;
    ioctl_none(vm, fd, SNDCTL_DSP_SYNC)
}

fn dsp_reset(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    parse_tuple::<0>(vm, "reset", true, 0, args, kw)?;
    ioctl_none(vm, fd, SNDCTL_DSP_RESET)
}

fn dsp_post(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    parse_tuple::<0>(vm, "post", true, 0, args, kw)?;
    ioctl_none(vm, fd, SNDCTL_DSP_POST)
}

/// `setparameters(fmt, channels, rate[, strict])` -> what the device took;
/// with `strict`, a value the device changed is an error.
fn dsp_setparameters(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = dsp_fd(vm, this)?;
    let [fmt, channels, rate, strict] = parse_tuple::<4>(vm, "setparameters", true, 3, args, kw)?;
    let none = vm.none.clone();
    let wanted = [
        ("format", c_int_arg(vm, fmt.as_ref().unwrap_or(&none))?, SNDCTL_DSP_SETFMT),
        ("channels", c_int_arg(vm, channels.as_ref().unwrap_or(&none))?, SNDCTL_DSP_CHANNELS),
        ("rate", c_int_arg(vm, rate.as_ref().unwrap_or(&none))?, SNDCTL_DSP_SPEED),
    ];
    let strict = match &strict {
        Some(s) => c_int_arg(vm, s)? != 0,
        None => false,
    };
    let mut got = Vec::with_capacity(3);
    for (what, want, request) in wanted {
        let have = ioctl_int(vm, fd, request, want)?;
        if strict && have != want {
            return Err(audio_error(vm, &format!("unable to set requested {what} (wanted {want}, got {have})")));
        }
        got.push(vm.int(have as i64));
    }
    Ok(new_tuple(vm, got))
}

/// Bytes per sample of the current format and the channel count, for the
/// buffer queries (formats other than 8 and 16 bits are not supported).
fn sample_shape(vm: &Vm, fd: i32) -> PyResult<(i32, i32)> {
    let sample_bytes = match ioctl_int(vm, fd, SNDCTL_DSP_SETFMT, 0)? {
        AFMT_MU_LAW | AFMT_A_LAW | AFMT_U8 | AFMT_S8 => 1,
        AFMT_S16_LE | AFMT_S16_BE | AFMT_U16_LE | AFMT_U16_BE => 2,
        _ => return Err(os_error(vm, libc::EOPNOTSUPP, None, None)),
    };
    let channels = ioctl_int(vm, fd, SNDCTL_DSP_CHANNELS, 0)?;
    if channels == 0 {
        return Err(os_error(vm, libc::EINVAL, None, None));
    }
    Ok((sample_bytes, channels))
}

/// The output buffer's state (`SNDCTL_DSP_GETOSPACE`) and the bytes per
/// frame.
fn output_space(vm: &Vm, this: &Obj) -> PyResult<(AudioBufInfo, i32)> {
    let fd = dsp_fd(vm, this)?;
    let (sample_bytes, channels) = sample_shape(vm, fd)?;
    let mut info = AudioBufInfo::default();
    // SAFETY: `info` is a live local `audio_buf_info` (module docs).
    if unsafe { libc::ioctl(fd, SNDCTL_DSP_GETOSPACE as libc::Ioctl, &mut info) } == -1 {
        return Err(last_os_error(vm));
    }
    Ok((info, sample_bytes * channels))
}

/// `bufsize()`: the hardware buffer's size, in samples.
fn dsp_bufsize(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "bufsize", args, kw)?;
    let (info, frame) = output_space(vm, this)?;
    Ok(vm.int(((info.fragstotal * info.fragsize) / frame) as i64))
}

/// `obufcount()`: samples waiting in the hardware buffer to be played.
fn dsp_obufcount(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "obufcount", args, kw)?;
    let (info, frame) = output_space(vm, this)?;
    Ok(vm.int(((info.fragstotal * info.fragsize - info.bytes) / frame) as i64))
}

/// `obuffree()`: samples that can be written without blocking.
fn dsp_obuffree(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "obuffree", args, kw)?;
    let (info, frame) = output_space(vm, this)?;
    Ok(vm.int((info.bytes / frame) as i64))
}

/// `getptr()`: (bytes, blocks, ptr) of the input side for a read-only
/// device, of the output side otherwise.
fn dsp_getptr(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getptr", args, kw)?;
    let fd = dsp_fd(vm, this)?;
    let request = if device(vm, this)?.mode == libc::O_RDONLY { SNDCTL_DSP_GETIPTR } else { SNDCTL_DSP_GETOPTR };
    let mut info = CountInfo::default();
    // SAFETY: `info` is a live local `count_info` (module docs).
    if unsafe { libc::ioctl(fd, request as libc::Ioctl, &mut info) } == -1 {
        return Err(last_os_error(vm));
    }
    Ok(new_tuple(vm, vec![vm.int(info.bytes as i64), vm.int(info.blocks as i64), vm.int(info.ptr as i64)]))
}

fn dsp_enter(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__enter__", args, kw)?;
    Ok(this.clone())
}

fn dsp_exit(vm: &Vm, this: &Obj, _args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "__exit__", kw)?;
    call_close(vm, this)
}

fn dsp_closed(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(device(vm, this)?.fd.is_closed()))
}

fn dsp_mode(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let mode = match device(vm, this)?.mode {
        libc::O_RDONLY => "r",
        libc::O_WRONLY => "w",
        _ => "rw",
    };
    Ok(new_str(vm, mode))
}

fn dsp_name(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(device(vm, this)?.name.clone())
}

// ------------------------------------------------------------------ mixer

/// An `oss_mixer_device`: the mixer descriptor, -1 once closed.
pub struct MixerDevice {
    fd: DeviceFd,
}

static MIXER_METHODS: &[MethodDef] = &[
    MethodDef::method("close", mixer_close, ""),
    MethodDef::method("fileno", mixer_fileno, ""),
    MethodDef::method("__enter__", dsp_enter, ""),
    MethodDef::method("__exit__", dsp_exit, ""),
    MethodDef::method("controls", mixer_controls, ""),
    MethodDef::method("stereocontrols", mixer_stereocontrols, ""),
    MethodDef::method("reccontrols", mixer_reccontrols, ""),
    MethodDef::method("get", mixer_get, ""),
    MethodDef::method("set", mixer_set, ""),
    MethodDef::method("get_recsrc", mixer_get_recsrc, ""),
    MethodDef::method("set_recsrc", mixer_set_recsrc, ""),
];

fn mixer_type(vm: &Vm) -> Obj {
    vm.native_type("ossaudiodev.oss_mixer_device", |vm| {
        let t = taipan_vm::native::new_type::<MixerDevice>(
            vm,
            "ossaudiodev.oss_mixer_device",
            &[],
            false,
            Slots::default(),
            MIXER_METHODS,
            &[],
        );
        taipan_vm::types::type_data(&t).is_final.set(true);
        t
    })
}

/// `openmixer([device])`: the device defaults to `$MIXERDEV`, then
/// `/dev/mixer`.
fn oss_openmixer(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [given] = parse_tuple::<1>(vm, "openmixer", false, 0, args, kw)?;
    let given_c = given.as_ref().map(|g| str_arg(vm, None, 1, g)).transpose()?;
    let name = device_name(vm, given, "MIXERDEV", "/dev/mixer")?;
    let path = match given_c {
        Some(c) => c,
        None => str_arg(vm, None, 1, &name)?,
    };
    let fd = open_device(vm, &name, &path, libc::O_RDWR)?;
    Ok(alloc(mixer_type(vm), MixerDevice { fd: DeviceFd(Cell::new(fd)) }))
}

fn mixer<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a MixerDevice> {
    o.downcast::<MixerDevice>().ok_or_else(|| vm.type_error("oss_mixer_device expected"))
}

fn mixer_fd(vm: &Vm, o: &Obj) -> PyResult<i32> {
    mixer(vm, o)?.fd.get(vm)
}

fn mixer_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    if let Some(fd) = mixer(vm, this)?.fd.take() {
        close_fd(fd);
    }
    Ok(vm.none.clone())
}

fn mixer_fileno(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "fileno", args, kw)?;
    Ok(vm.int(mixer_fd(vm, this)? as i64))
}

/// A request that only reports a value (a channel bit mask).
fn mixer_query(vm: &Vm, this: &Obj, fname: &str, request: u64, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = mixer_fd(vm, this)?;
    parse_tuple::<0>(vm, fname, true, 0, args, kw)?;
    Ok(vm.int(ioctl_int(vm, fd, request, 0)? as i64))
}

fn mixer_controls(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    mixer_query(vm, this, "controls", MIXER_READ | SOUND_MIXER_DEVMASK, args, kw)
}

fn mixer_stereocontrols(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    mixer_query(vm, this, "stereocontrols", MIXER_READ | SOUND_MIXER_STEREODEVS, args, kw)
}

fn mixer_reccontrols(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    mixer_query(vm, this, "reccontrols", MIXER_READ | SOUND_MIXER_RECMASK, args, kw)
}

fn mixer_get_recsrc(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    mixer_query(vm, this, "get_recsrc", MIXER_READ | SOUND_MIXER_RECSRC, args, kw)
}

fn mixer_set_recsrc(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = mixer_fd(vm, this)?;
    set_int(vm, fd, "set_recsrc", MIXER_WRITE | SOUND_MIXER_RECSRC, args, kw)
}

/// A channel number as the mixer requests encode it (CPython accepts
/// `SOUND_MIXER_NRDEVICES` itself, one past the last channel).
fn channel_arg(vm: &Vm, o: Option<&Obj>) -> PyResult<u64> {
    let channel = c_int_arg(vm, o.unwrap_or(&vm.none))?;
    if !(0..=SOUND_MIXER_NRDEVICES).contains(&channel) {
        return Err(audio_error(vm, "Invalid mixer channel specified."));
    }
    Ok(channel as u64)
}

/// A stereo volume word as a `(left, right)` tuple.
fn volume_pair(vm: &Vm, volume: i32) -> Obj {
    new_tuple(vm, vec![vm.int((volume & 0xff) as i64), vm.int(((volume & 0xff00) >> 8) as i64)])
}

/// `get(channel)` -> (left, right) volume.
fn mixer_get(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = mixer_fd(vm, this)?;
    let [channel] = parse_tuple::<1>(vm, "get", true, 1, args, kw)?;
    let channel = channel_arg(vm, channel.as_ref())?;
    let volume = ioctl_int(vm, fd, MIXER_READ | channel, 0)?;
    Ok(volume_pair(vm, volume))
}

/// `set(channel, (left, right))` -> the volume the mixer took.
fn mixer_set(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = mixer_fd(vm, this)?;
    let [channel, pair] = parse_tuple::<2>(vm, "set", true, 2, args, kw)?;
    let channel_obj = channel.unwrap_or_else(|| vm.none.clone());
    let pair = pair.unwrap_or_else(|| vm.none.clone());
    let channel_i = c_int_arg(vm, &channel_obj)?;
    // The "(ii)" format: any sequence of exactly two ints.
    let is_sequence = taipan_vm::types::lookup(&type_of(&pair), "__getitem__").is_some()
        && !taipan_vm::types::is_subtype(&type_of(&pair), &vm.types.dict);
    if !is_sequence {
        return Err(vm.type_error(format!("set() argument 2 must be 2-item sequence, not {}", type_name(&pair))));
    }
    let len = taipan_vm::ops::length(vm, &pair)?;
    if len != 2 {
        return Err(vm.type_error(format!("set() argument 2 must be sequence of length 2, not {len}")));
    }
    let left = c_int_arg(vm, &taipan_vm::sequence::getitem(vm, &pair, &vm.int(0))?)?;
    let right = c_int_arg(vm, &taipan_vm::sequence::getitem(vm, &pair, &vm.int(1))?)?;
    let channel = channel_arg(vm, Some(&vm.int(channel_i as i64)))?;
    if !(0..=100).contains(&left) || !(0..=100).contains(&right) {
        return Err(audio_error(vm, "Volumes must be between 0 and 100."));
    }
    let volume = ioctl_int(vm, fd, MIXER_WRITE | channel, (right << 8) | left)?;
    Ok(volume_pair(vm, volume))
}
