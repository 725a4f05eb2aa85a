//! The cycle collector and the trashcan, driven from Rust.

use taipan_vm::gc::collect;
use taipan_vm::types::builtin::{self, ListData};
use taipan_vm::Vm;

fn push(list: &taipan_vm::object::Obj, item: taipan_vm::object::Obj) {
    list.downcast::<ListData>().expect("a list").items.borrow_mut().push(item);
}

#[test]
fn unreachable_cycles_are_found_and_reachable_ones_kept() {
    let vm = Vm::new();
    collect(&vm, 2);
    // a -> b -> a, nothing else refers to them.
    let a = builtin::new_list(&vm, Vec::new());
    let b = builtin::new_list(&vm, vec![a.clone()]);
    push(&a, b.clone());
    drop(b);
    // Still held by Rust: reachable.
    assert_eq!(collect(&vm, 2), 0);
    assert_eq!(a.downcast::<ListData>().expect("list").items.borrow().len(), 1);
    drop(a);
    assert_eq!(collect(&vm, 2), 2);
    // Younger generations only see their own objects.
    let c = builtin::new_list(&vm, Vec::new());
    push(&c, c.clone());
    drop(c);
    assert_eq!(collect(&vm, 0), 1);
}

#[test]
fn a_cycle_reachable_from_an_older_object_survives_a_young_collection() {
    let vm = Vm::new();
    let old = builtin::new_list(&vm, Vec::new());
    collect(&vm, 2);
    let x = builtin::new_list(&vm, Vec::new());
    push(&x, x.clone());
    push(&old, x.clone());
    drop(x);
    assert_eq!(collect(&vm, 0), 0);
    let inner = old.downcast::<ListData>().expect("list").items.borrow()[0].clone();
    assert_eq!(inner.downcast::<ListData>().expect("list").items.borrow().len(), 1);
}

#[test]
fn freeing_a_deep_chain_does_not_recurse() {
    let vm = Vm::new();
    let mut l = builtin::new_list(&vm, Vec::new());
    for _ in 0..1_000_000 {
        l = builtin::new_list(&vm, vec![l]);
    }
    drop(l);
    let mut t = builtin::new_tuple(&vm, Vec::new());
    for _ in 0..1_000_000 {
        t = builtin::new_tuple(&vm, vec![t]);
    }
    drop(t);
}
