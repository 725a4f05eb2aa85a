//! Taipan's native standard-library modules (what CPython writes in C).
//! Not written yet (see the native stdlib issue); this crate only reserves
//! its place in the workspace.
