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
    pub verbose: u32,
    pub optimize: u32,
    pub bytes_warning: u32,
    pub warnoptions: Vec<String>,
    pub xoptions: Vec<String>,
    pub check_hash_based_pycs: Option<String>,
}

/// A parse failure: the message CPython prints before its usage line.
#[derive(Debug, PartialEq)]
pub enum OptError {
    Unknown(char),
    ArgumentExpected(char),
    Help,
    Version,
    InvalidHashMode,
}

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
        if a == "--help" {
            return Err(OptError::Help);
        }
        if a == "--version" {
            return Err(OptError::Version);
        }
        if a == "-" || !a.starts_with('-') || a.len() < 2 {
            break;
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
                'd' | 'R' | 'x' => {}
                'h' | '?' => return Err(OptError::Help),
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
    /// The value of `-X name[=value]` (`Some("")` for a bare `-X name`).
    pub fn xoption(&self, name: &str) -> Option<&str> {
        self.xoptions.iter().rev().find_map(|x| match x.split_once('=') {
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
}
