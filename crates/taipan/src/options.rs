//! The command line, parsed as CPython's `Modules/main.c` does: single-letter
//! options (combinable, `-BE`), `-X opt[=value]`, `-W arg`, `-c cmd` and
//! `-m mod` ending the options, then a file or `-`.

/// What to run.
#[derive(Debug, PartialEq)]
pub enum Run {
    /// `-c CODE`.
    Code(String),
    /// `-m MODULE`.
    Module(String),
    /// A script path.
    File(String),
    /// `-` or nothing: standard input (the REPL when it is a terminal).
    Stdin { dash: bool },
}

/// The options that change how the interpreter runs (`sys.flags`).
#[derive(Debug, Default)]
pub struct Options {
    pub dont_write_bytecode: bool,
    pub ignore_environment: bool,
    pub isolated: bool,
    pub no_user_site: bool,
    pub no_site: bool,
    pub unbuffered: bool,
    pub inspect: bool,
    pub safe_path: bool,
    pub quiet: bool,
    pub debug: u32,
    pub verbose: u32,
    pub optimize: u32,
    pub bytes_warning: u32,
    pub warnoptions: Vec<String>,
    pub xoptions: Vec<String>,
    pub check_hash_based_pycs: Option<String>,
    /// `-R`: hash randomization even when PYTHONHASHSEED=0.
    pub random_hash: bool,
}

/// A parse failure: the message CPython prints before its usage line.
#[derive(Debug, PartialEq)]
pub enum OptError {
    Unknown(char),
    ArgumentExpected(char),
    /// `-h`, `-?`, `--help`: which sections (`help::Section`).
    Help(u8),
    /// A `--long` option that does not exist.
    UnknownLong(String),
    Version,
    InvalidHashMode,
}

/// `OptError::Help` sections.
pub const HELP_OPTIONS: u8 = 1;
pub const HELP_ENV: u8 = 2;
pub const HELP_XOPTIONS: u8 = 4;

/// Parses `args` (without the program name): the options, what to run,
/// and the arguments that follow (the script's `sys.argv[1:]`).
pub fn parse(args: &[String]) -> Result<(Options, Run, Vec<String>), OptError> {
    let mut o = Options::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--check-hash-based-pycs" {
            let v = args.get(i + 1).ok_or(OptError::InvalidHashMode)?;
            if !["default", "always", "never"].contains(&v.as_str()) {
                return Err(OptError::InvalidHashMode);
            }
            o.check_hash_based_pycs = Some(v.clone());
            i += 2;
            continue;
        }
        match a.as_str() {
            "--help" => return Err(OptError::Help(HELP_OPTIONS)),
            "--help-env" => return Err(OptError::Help(HELP_ENV)),
            "--help-xoptions" => return Err(OptError::Help(HELP_XOPTIONS)),
            "--help-all" => return Err(OptError::Help(HELP_OPTIONS | HELP_ENV | HELP_XOPTIONS)),
            "--" => {
                i += 1;
                break;
            }
            _ => {}
        }
        if a == "--version" {
            return Err(OptError::Version);
        }
        if a == "-" || !a.starts_with('-') || a.len() < 2 {
            break;
        }
        if a.starts_with("--") && a != "--version" {
            return Err(OptError::UnknownLong(a.clone()));
        }
        let letters: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < letters.len() {
            let c = letters[j];
            // Options with an argument take the rest of this word or the
            // next word.
            let mut argument = || -> Result<String, OptError> {
                let rest: String = letters[j + 1..].iter().collect();
                j = letters.len();
                if !rest.is_empty() {
                    return Ok(rest);
                }
                i += 1;
                args.get(i).cloned().ok_or(OptError::ArgumentExpected(c))
            };
            match c {
                'c' => {
                    let code = argument()?;
                    return Ok((o, Run::Code(code), args[i + 1..].to_vec()));
                }
                'm' => {
                    let module = argument()?;
                    return Ok((o, Run::Module(module), args[i + 1..].to_vec()));
                }
                'X' => {
                    let x = argument()?;
                    o.xoptions.push(x);
                    continue;
                }
                'W' => {
                    let w = argument()?;
                    o.warnoptions.push(w);
                    continue;
                }
                'B' => o.dont_write_bytecode = true,
                'E' => o.ignore_environment = true,
                'I' => {
                    o.isolated = true;
                    o.ignore_environment = true;
                    o.no_user_site = true;
                    o.safe_path = true;
                }
                's' => o.no_user_site = true,
                'S' => o.no_site = true,
                'u' => o.unbuffered = true,
                'i' => o.inspect = true,
                'P' => o.safe_path = true,
                'q' => o.quiet = true,
                'v' => o.verbose += 1,
                'O' => o.optimize += 1,
                'b' => o.bytes_warning += 1,
                'd' => o.debug += 1,
                'R' => o.random_hash = true,
                'x' => {}
                'h' | '?' => return Err(OptError::Help(HELP_OPTIONS)),
                'V' => return Err(OptError::Version),
                other => return Err(OptError::Unknown(other)),
            }
            j += 1;
        }
        i += 1;
    }
    match args.get(i) {
        None => Ok((o, Run::Stdin { dash: false }, Vec::new())),
        Some(a) if a == "-" => Ok((o, Run::Stdin { dash: true }, args[i + 1..].to_vec())),
        Some(a) => Ok((o, Run::File(a.clone()), args[i + 1..].to_vec())),
    }
}

impl Options {
    /// `sys.flags`: the options, with the environment variables that set
    /// the same flags (unless `-E`); a counted flag takes the larger of the
    /// two, as CPython does.
    pub fn flags(&self) -> taipan_vm::sysmodule::Flags {
        let env_level = |name: &str| self.env(name).map_or(0, |v| v.parse::<i64>().unwrap_or(1).max(1));
        let env_set = |name: &str| self.env(name).is_some();
        let count = |n: u32, name: &str| i64::from(n).max(env_level(name));
        let flag = |b: bool, name: &str| i64::from(b || env_set(name));
        let dev_mode = self.xoption("dev").is_some() || env_set("PYTHONDEVMODE");
        let utf8 = match self.xoption("utf8") {
            Some(v) => i64::from(v != "0"),
            None => i64::from(self.env("PYTHONUTF8").is_some_and(|v| v == "1")),
        };
        let digits = self.xoption("int_max_str_digits").map(str::to_string).or_else(|| self.env("PYTHONINTMAXSTRDIGITS"));
        taipan_vm::sysmodule::Flags {
            debug: count(self.debug, "PYTHONDEBUG"),
            inspect: flag(self.inspect, "PYTHONINSPECT"),
            interactive: i64::from(self.inspect),
            optimize: count(self.optimize, "PYTHONOPTIMIZE"),
            dont_write_bytecode: flag(self.dont_write_bytecode, "PYTHONDONTWRITEBYTECODE"),
            no_user_site: flag(self.no_user_site, "PYTHONNOUSERSITE"),
            no_site: i64::from(self.no_site),
            ignore_environment: i64::from(self.ignore_environment),
            verbose: count(self.verbose, "PYTHONVERBOSE"),
            bytes_warning: i64::from(self.bytes_warning),
            quiet: i64::from(self.quiet),
            hash_randomization: i64::from(self.random_hash || self.env("PYTHONHASHSEED").is_none_or(|s| s != "0")),
            isolated: i64::from(self.isolated),
            dev_mode,
            utf8_mode: utf8,
            warn_default_encoding: flag(self.xoption("warn_default_encoding").is_some(), "PYTHONWARNDEFAULTENCODING"),
            safe_path: self.safe_path || env_set("PYTHONSAFEPATH"),
            int_max_str_digits: digits.and_then(|d| d.parse().ok()).unwrap_or(-1),
        }
    }

    /// `sys.warnoptions`: `default` for `-X dev`, `PYTHONWARNINGS`, the `-W`
    /// options, then `-b`'s BytesWarning action.
    pub fn warnoptions(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.xoption("dev").is_some() || self.env("PYTHONDEVMODE").is_some() {
            w.push("default".to_string());
        }
        if let Some(env) = self.env("PYTHONWARNINGS") {
            w.extend(env.split(',').filter(|s| !s.is_empty()).map(str::to_string));
        }
        w.extend(self.warnoptions.iter().cloned());
        match self.bytes_warning {
            0 => {}
            1 => w.push("default::BytesWarning".to_string()),
            _ => w.push("error::BytesWarning".to_string()),
        }
        w
    }

    /// The traceback limit `tracemalloc` starts with (0: it does not
    /// start): `-X tracemalloc[=N]`, else `PYTHONTRACEMALLOC=N`. A value
    /// that is not a number >= 0 is an error (CPython's message).
    pub fn tracemalloc(&self) -> Result<u64, &'static str> {
        // `strtol`'s reading: leading blanks, a sign; nothing at all is 0.
        let parse = |v: &str| {
            let v = v.trim_start();
            if v.is_empty() {
                return Some(0);
            }
            v.parse::<i64>().ok().filter(|&n| n >= 0).map(|n| n as u64)
        };
        // The first `-X tracemalloc` counts (CPython's `config_get_xoption`).
        let first = self.xoptions.iter().find(|x| x.as_str() == "tracemalloc" || x.starts_with("tracemalloc="));
        if let Some(x) = first {
            return match x.split_once('=') {
                None => Ok(1),
                Some((_, v)) => parse(v).ok_or("-X tracemalloc=NFRAME: invalid number of frames"),
            };
        }
        match self.env("PYTHONTRACEMALLOC") {
            Some(v) => parse(&v).ok_or("PYTHONTRACEMALLOC: invalid number of frames"),
            None => Ok(0),
        }
    }

    /// Where an invalid `int_max_str_digits` limit came from (`-X` or the
    /// environment variable): valid limits are 0 and 640 and up.
    pub fn int_max_str_digits_error(&self) -> Option<&'static str> {
        let valid = |v: &str| v.parse::<i64>().is_ok_and(|n| n == 0 || n >= 640);
        if let Some(v) = self.xoption("int_max_str_digits") {
            return (!valid(v)).then_some("-X int_max_str_digits");
        }
        match self.env("PYTHONINTMAXSTRDIGITS") {
            Some(v) if !valid(&v) => Some("PYTHONINTMAXSTRDIGITS"),
            _ => None,
        }
    }

    /// The value of `-X name[=value]` (`Some("")` for a bare `-X name`);
    /// the first one given counts, as in CPython's configuration (while
    /// `sys._xoptions` keeps the last).
    pub fn xoption(&self, name: &str) -> Option<&str> {
        self.xoptions.iter().find_map(|x| match x.split_once('=') {
            Some((k, v)) if k == name => Some(v),
            None if x == name => Some(""),
            _ => None,
        })
    }

    /// An environment variable, unless `-E`/`-I` say to ignore them.
    pub fn env(&self, name: &str) -> Option<String> {
        if self.ignore_environment {
            return None;
        }
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<(Options, Run, Vec<String>), OptError> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn options() {
        let (o, run, rest) = p(&["-BSu", "-X", "dev", "-Xfoo=1", "-c", "pass", "-B", "x"]).expect("parses");
        assert!(o.dont_write_bytecode && o.no_site && o.unbuffered && !o.ignore_environment);
        assert_eq!(o.xoption("foo"), Some("1"));
        assert_eq!(o.xoption("dev"), Some(""));
        assert_eq!(run, Run::Code("pass".into()));
        let tm = |args: &[&str]| p(args).expect("parses").0.tracemalloc();
        assert_eq!(tm(&["-X", "tracemalloc", "-c", "pass"]), Ok(1));
        assert_eq!(tm(&["-X", "tracemalloc=15", "-c", "pass"]), Ok(15));
        assert_eq!(tm(&["-X", "tracemalloc=0", "-c", "pass"]), Ok(0));
        assert!(tm(&["-X", "tracemalloc=-1", "-c", "pass"]).is_err());
        assert_eq!(tm(&["-X", "tracemalloc=", "-c", "pass"]), Ok(0));
        assert!(tm(&["-X", "tracemalloc=abc", "-c", "pass"]).is_err());
        assert_eq!(tm(&["-X", "tracemalloc=15", "-X", "tracemalloc", "-c", "pass"]), Ok(15));
        assert_eq!(rest, vec!["-B", "x"]);
        let (o, run, rest) = p(&["-I", "-mpkg.mod", "a"]).expect("parses");
        assert!(o.isolated && o.ignore_environment && o.no_user_site);
        assert_eq!((run, rest), (Run::Module("pkg.mod".into()), vec!["a".to_string()]));
        let (_, run, rest) = p(&["-B", "script.py", "-c", "x"]).expect("parses");
        assert_eq!((run, rest.len()), (Run::File("script.py".into()), 2));
        assert_eq!(p(&["-"]).map(|r| r.1), Ok(Run::Stdin { dash: true }));
        assert_eq!(p(&["-z"]).err(), Some(OptError::Unknown('z')));
        assert_eq!(p(&["-c"]).err(), Some(OptError::ArgumentExpected('c')));
    }

    #[test]
    fn flags_and_warnoptions() {
        // -E: the environment does not count (these tests may run with
        // PYTHON* variables set).
        let (o, _, _) = p(&["-E", "-OO", "-vv", "-bb", "-d", "-I", "-X", "dev", "-W", "ignore", "-Xint_max_str_digits=5000", "-c", "x"])
            .expect("parses");
        let f = o.flags();
        assert_eq!((f.optimize, f.verbose, f.bytes_warning, f.debug), (2, 2, 2, 1));
        assert_eq!((f.isolated, f.ignore_environment, f.no_user_site, f.safe_path, f.dev_mode), (1, 1, 1, true, true));
        assert_eq!((f.no_site, f.dont_write_bytecode, f.int_max_str_digits), (0, 0, 5000));
        assert_eq!(o.warnoptions(), vec!["default", "ignore", "error::BytesWarning"]);
        let (o, _, _) = p(&["-E", "-b", "-c", "x"]).expect("parses");
        assert_eq!(o.warnoptions(), vec!["default::BytesWarning"]);
        assert_eq!(o.flags().int_max_str_digits, -1);
    }
}
