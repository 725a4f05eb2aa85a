//! Taipan's compiler: symbol tables and bytecode from the parser's tree.
//! Not written yet (see the compiler/VM issue); this crate only reserves its
//! place in the workspace.
