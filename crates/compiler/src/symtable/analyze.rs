//! Second pass: resolve every symbol's scope, propagate free variables.
//!
//! Each block is analysed with three name sets inherited from its parent:
//! `bound` (names bound in enclosing function scopes, `None` at module
//! level), `global` (names declared global in enclosing scopes) and `free`
//! (collects the free names found in the block and below). Class bodies
//! pass down what they received, not their own bindings; they add
//! `__class__` to what their methods see as bound.

use std::collections::HashSet;
use std::rc::Rc;

use super::flags::*;
use super::{ScopeId, ScopeKind, SymScope, SymbolTable, SymtableError};

type Set = HashSet<Rc<str>>;

pub(crate) fn analyze(st: &mut SymbolTable) -> Result<(), SymtableError> {
    let mut free = Set::new();
    let mut global = Set::new();
    analyze_block(st, 0, None, &mut free, &mut global)
}

fn error_at_directive(st: &SymbolTable, id: ScopeId, name: &Rc<str>, msg: String) -> SymtableError {
    let sc = &st.scopes[id];
    let loc = sc.directives.iter().find(|(n, _)| n == name).map(|(_, l)| *l).unwrap_or_default();
    SymtableError::at(msg, loc)
}

#[allow(clippy::too_many_arguments)]
fn analyze_name(
    st: &mut SymbolTable,
    id: ScopeId,
    name: &Rc<str>,
    flags: u32,
    mut bound: Option<&mut Set>,
    local: &mut Set,
    free: &mut Set,
    global: &mut Set,
) -> Result<SymScope, SymtableError> {
    if flags & DEF_GLOBAL != 0 {
        if flags & DEF_NONLOCAL != 0 {
            return Err(error_at_directive(st, id, name, format!("name '{name}' is nonlocal and global")));
        }
        global.insert(name.clone());
        if let Some(b) = bound.as_deref_mut() {
            b.remove(name);
        }
        return Ok(SymScope::GlobalExplicit);
    }
    if flags & DEF_NONLOCAL != 0 {
        let Some(b) = bound else {
            return Err(error_at_directive(st, id, name, "nonlocal declaration not allowed at module level".into()));
        };
        if !b.contains(name) {
            return Err(error_at_directive(st, id, name, format!("no binding for nonlocal '{name}' found")));
        }
        st.scopes[id].has_free = true;
        free.insert(name.clone());
        return Ok(SymScope::Free);
    }
    if flags & DEF_BOUND != 0 {
        local.insert(name.clone());
        global.remove(name);
        return Ok(SymScope::Local);
    }
    if bound.as_deref().is_some_and(|b| b.contains(name)) {
        st.scopes[id].has_free = true;
        free.insert(name.clone());
        return Ok(SymScope::Free);
    }
    if global.contains(name) {
        return Ok(SymScope::GlobalImplicit);
    }
    if st.scopes[id].nested {
        st.scopes[id].has_free = true;
    }
    Ok(SymScope::GlobalImplicit)
}

fn analyze_block(
    st: &mut SymbolTable,
    id: ScopeId,
    mut bound: Option<&mut Set>,
    free: &mut Set,
    global: &mut Set,
) -> Result<(), SymtableError> {
    let kind = st.scopes[id].kind;
    let mut local = Set::new();
    let mut newglobal = Set::new();
    let mut newfree = Set::new();
    let mut newbound = Set::new();

    if kind == ScopeKind::Class {
        newglobal.extend(global.iter().cloned());
        if let Some(b) = bound.as_deref() {
            newbound.extend(b.iter().cloned());
        }
    }

    let n = st.scopes[id].symbols.len();
    let mut scopes = Vec::with_capacity(n);
    for i in 0..n {
        let sym = &st.scopes[id].symbols[i];
        let (name, flags) = (sym.name.clone(), sym.flags);
        scopes.push(analyze_name(st, id, &name, flags, bound.as_deref_mut(), &mut local, free, global)?);
    }

    if kind != ScopeKind::Class {
        if kind == ScopeKind::Function {
            newbound.extend(local.iter().cloned());
        }
        if let Some(b) = bound.as_deref() {
            newbound.extend(b.iter().cloned());
        }
        newglobal.extend(global.iter().cloned());
    } else {
        newbound.insert(Rc::from("__class__"));
    }

    let mut allfree = Set::new();
    let children = st.scopes[id].children.clone();
    for c in children {
        let mut tb = newbound.clone();
        let mut tf = newfree.clone();
        let mut tg = newglobal.clone();
        analyze_block(st, c, Some(&mut tb), &mut tf, &mut tg)?;
        allfree.extend(tf);
        if st.scopes[c].has_free || st.scopes[c].child_free {
            st.scopes[id].child_free = true;
        }
    }
    newfree.extend(allfree);

    if kind == ScopeKind::Function {
        // Locals used free by children become cells.
        for (sym, scope) in st.scopes[id].symbols.iter().zip(scopes.iter_mut()) {
            if *scope == SymScope::Local && newfree.remove(&sym.name) {
                *scope = SymScope::Cell;
            }
        }
    } else if kind == ScopeKind::Class && newfree.remove("__class__") {
        st.scopes[id].needs_class_closure = true;
    }

    // Record the results.
    let sc = &mut st.scopes[id];
    for (sym, scope) in sc.symbols.iter_mut().zip(scopes) {
        sym.scope = scope;
    }
    let mut pending: Vec<&Rc<str>> = newfree.iter().collect();
    pending.sort();
    for name in pending {
        if let Some(sym) = sc.symbol_mut(name) {
            if kind == ScopeKind::Class && sym.flags & (DEF_BOUND | DEF_GLOBAL) != 0 {
                sym.flags |= DEF_FREE_CLASS;
            }
            continue;
        }
        if bound.as_deref().is_some_and(|b| !b.contains(name)) {
            continue;
        }
        sc.insert(name.clone(), 0, SymScope::Free);
    }

    free.extend(newfree);
    Ok(())
}
