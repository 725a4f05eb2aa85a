//! The interactive prompt (`taipan` with a terminal on stdin, or `-i`):
//! `>>> ` and `... ` prompts with line editing and history (rustyline; a
//! stdin that is not a terminal is read line by line, the prompts going
//! to stderr, as CPython does), statements
//! compiled in `'single'` mode so expression values are shown by
//! `sys.displayhook`, tracebacks printed and the session kept going.
//!
//! When input is complete follows `codeop`'s rule of thumb: a single line
//! that parses runs at once, unless it opens a block; a block (or anything
//! spanning several lines) runs at the first empty line; input whose parse
//! error says it was cut short (an unclosed bracket or string, a missing
//! indented block) asks for more.

use std::process::ExitCode;

use rustyline::error::ReadlineError;
use taipan_vm::object::Obj;
use taipan_vm::Vm;

/// Whether a parse error means the input only needs more lines.
fn incomplete(msg: &str) -> bool {
    msg.contains("was never closed")
        || msg.contains("unexpected EOF")
        || msg.contains("unterminated triple-quoted")
        || msg.contains("expected an indented block")
}

/// Where the lines come from: the line editor on a terminal, plain reads
/// otherwise.
enum Input {
    Editor(Box<rustyline::DefaultEditor>),
    Plain,
}

impl Input {
    fn readline(&mut self, prompt: &str) -> Result<String, ReadlineError> {
        match self {
            Input::Editor(e) => e.readline(prompt),
            Input::Plain => {
                use std::io::{BufRead, Write};
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(prompt.as_bytes());
                let _ = err.flush();
                drop(err);
                let mut line = String::new();
                match std::io::stdin().lock().read_line(&mut line) {
                    Ok(0) => Err(ReadlineError::Eof),
                    Ok(_) => {
                        if line.ends_with('\n') {
                            line.pop();
                        }
                        Ok(line)
                    }
                    Err(e) => Err(ReadlineError::Io(e)),
                }
            }
        }
    }

    fn add_history_entry(&mut self, line: &str) {
        if let Input::Editor(e) = self {
            let _ = e.add_history_entry(line);
        }
    }
}

/// Runs the prompt until end of input or `SystemExit`.
pub fn run(vm: &Vm, globals: &Obj) -> ExitCode {
    eprintln!("Taipan {} (Python 3.11) on linux", env!("CARGO_PKG_VERSION"));
    eprintln!("Type \"help\", \"copyright\", \"credits\" or \"license\" for more information.");
    let mut editor = if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        match rustyline::DefaultEditor::new() {
            Ok(e) => Input::Editor(Box::new(e)),
            Err(_) => {
                eprintln!("taipan: cannot start the line editor");
                return ExitCode::from(1);
            }
        }
    } else {
        Input::Plain
    };
    let mut buffer = String::new();
    // The input so far began a compound statement: it ends at an empty line.
    let mut in_block = false;
    loop {
        let prompt = if buffer.is_empty() { ">>> " } else { "... " };
        let _ = taipan_vm::stdio::flush(vm, "stdout");
        let _ = taipan_vm::stdio::flush(vm, "stderr");
        let line = match editor.readline(prompt) {
            Ok(l) => l,
            Err(ReadlineError::Interrupted) => {
                eprintln!("\nKeyboardInterrupt");
                buffer.clear();
                continue;
            }
            Err(_) => {
                eprintln!();
                return ExitCode::SUCCESS;
            }
        };
        if !line.trim().is_empty() {
            editor.add_history_entry(line.as_str());
        }
        let first = buffer.is_empty();
        buffer.push_str(&line);
        buffer.push('\n');
        if first && line.trim().is_empty() {
            buffer.clear();
            continue;
        }
        if first {
            let t = line.split('#').next().unwrap_or("").trim_end();
            in_block = t.ends_with(':') || t.starts_with('@');
        }
        match taipan_parser::parse_module(buffer.as_bytes()) {
            Err(e) if incomplete(&e.msg) => continue,
            Ok(_) if in_block && !line.trim().is_empty() => continue,
            _ => {}
        }
        let source = std::mem::take(&mut buffer);
        let result = taipan_vm::import::compile_interactive(vm, source.as_bytes(), "<stdin>")
            .and_then(|code| taipan_vm::eval::run(vm, taipan_vm::eval::Frame::module(code, globals.clone())));
        if let Err(err) = result {
            if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&err.exc), &vm.types.system_exit) {
                return crate::system_exit(vm, &err.exc);
            }
            taipan_vm::stdio::write_stderr(vm, &taipan_vm::traceback::format_exception(vm, &err.exc));
        }
    }
}
