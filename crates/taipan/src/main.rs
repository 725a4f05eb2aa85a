//! The `taipan` command. Until the vm exists it can only parse: it exits
//! with an error for anything else rather than pretending to run code.

fn main() {
    eprintln!("taipan: the interpreter is not built yet; only the parser exists (see README.md)");
    std::process::exit(2);
}
