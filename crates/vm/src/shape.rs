//! Hidden classes ("shapes", PyPy's maps, V8's hidden classes) for the
//! attributes of instances of classes defined in Python.
//!
//! A shape is a node of a transition tree rooted at `Vm::shape_root` (one
//! tree per interpreter, shared by all classes: a shape only maps names to
//! slots, the class is checked separately through its version tag). An
//! instance in *shape mode* holds a shape (`None`: no attribute yet) and a
//! values array (`InstanceExt::values`, slot `i` for the shape's name `i`);
//! adding an attribute follows (or creates) the transition for its name.
//! Instances that got the same attributes in the same order share a shape,
//! so an inline cache keyed on (type version, shape) knows the slot.
//!
//! An instance switches for good to *dict mode* (its attributes in a real
//! dict, `InstanceExt::dict`) when something asks for its dict (`__dict__`,
//! `vars()`, pickling, native code through `classes::instance_dict`), when
//! an attribute is deleted, when a name is not an exact `str`, or when it
//! would get more than `MAX_ATTRS` attributes. Shapes are never freed (they
//! are leaked boxes, so `&'static` and their address is a unique id); the
//! tree's size is bounded by `MAX_SHAPES`, after which new transitions are
//! refused and instances go to dict mode.

use std::cell::{Cell, RefCell};

use crate::object::Obj;
use crate::types::builtin::StrData;
use crate::vm::Vm;

/// Most attributes an instance keeps in shape mode.
pub const MAX_ATTRS: usize = 48;
/// Most shapes an interpreter creates.
pub const MAX_SHAPES: usize = 100_000;

/// One node of the transition tree.
pub struct Shape {
    /// Attribute names (exact `str` objects) in slot order.
    names: Box<[Obj]>,
    /// Shapes reached by adding one more name.
    transitions: RefCell<Vec<(Obj, &'static Shape)>>,
}

/// The per-interpreter root of the tree and its size.
pub struct ShapeTree {
    pub root: &'static Shape,
    count: Cell<usize>,
}

impl Default for ShapeTree {
    fn default() -> Self {
        ShapeTree { root: Box::leak(Box::new(Shape { names: Box::new([]), transitions: RefCell::new(Vec::new()) })), count: Cell::new(1) }
    }
}

/// Whether `name` may key a shape slot: an exact `str` (its hash and
/// equality cannot run Python code).
#[inline]
pub fn is_shape_key(vm: &Vm, name: &Obj) -> bool {
    std::ptr::eq(name.type_ptr(), vm.types.str_.as_ptr())
}

fn same_name(a: &Obj, b: &Obj) -> bool {
    if a.is(b) {
        return true;
    }
    match (a.downcast::<StrData>(), b.downcast::<StrData>()) {
        (Some(x), Some(y)) => x.value == y.value,
        _ => false,
    }
}

impl Shape {
    /// A unique id (the shape's address; shapes are never freed).
    #[inline]
    pub fn id(&'static self) -> u64 {
        self as *const Shape as usize as u64
    }

    pub fn names(&self) -> &[Obj] {
        &self.names
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The slot of `name` (an exact `str`), by identity first.
    #[inline]
    pub fn index_of(&self, name: &Obj) -> Option<usize> {
        if let Some(i) = self.names.iter().position(|n| n.is(name)) {
            return Some(i);
        }
        self.names.iter().position(|n| same_name(n, name))
    }

    /// The existing transition for `name`, by identity (the fast check of
    /// a store that adds an attribute).
    #[inline]
    pub fn transition_by_identity(&self, name: &Obj) -> Option<&'static Shape> {
        self.transitions.borrow().iter().find(|(n, _)| n.is(name)).map(|(_, s)| *s)
    }

    /// The shape with `name` added after this one's names (`name` must not
    /// be among them); `None` when the instance should go to dict mode.
    pub fn add(&'static self, tree: &ShapeTree, name: &Obj) -> Option<&'static Shape> {
        if let Some(s) = self.transition_by_identity(name) {
            return Some(s);
        }
        if let Some(s) = self.transitions.borrow().iter().find(|(n, _)| same_name(n, name)).map(|(_, s)| *s) {
            return Some(s);
        }
        if self.names.len() >= MAX_ATTRS || tree.count.get() >= MAX_SHAPES {
            return None;
        }
        let mut names = Vec::with_capacity(self.names.len() + 1);
        names.extend(self.names.iter().cloned());
        names.push(name.clone());
        let s: &'static Shape = Box::leak(Box::new(Shape { names: names.into(), transitions: RefCell::new(Vec::new()) }));
        tree.count.set(tree.count.get() + 1);
        self.transitions.borrow_mut().push((name.clone(), s));
        Some(s)
    }
}

/// The id of an instance's shape (0: no attribute yet).
#[inline]
pub fn shape_id(s: Option<&'static Shape>) -> u64 {
    s.map_or(0, Shape::id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_sizes_are_pinned() {
        assert_eq!(std::mem::size_of::<Shape>(), 48);
        assert_eq!(std::mem::size_of::<Option<&'static Shape>>(), 8);
        assert_eq!(std::mem::size_of::<crate::classes::InstanceExt>(), 96);
    }

    #[test]
    fn transitions_are_shared_and_ordered() {
        let vm = Vm::new();
        let tree = ShapeTree::default();
        let (x, y) = (vm.intern("x"), vm.intern("y"));
        let a = tree.root.add(&tree, &x).and_then(|s| s.add(&tree, &y));
        let b = tree.root.add(&tree, &x).and_then(|s| s.add(&tree, &y));
        let c = tree.root.add(&tree, &y).and_then(|s| s.add(&tree, &x));
        let (Some(a), Some(b), Some(c)) = (a, b, c) else { panic!("no shape") };
        assert_eq!(a.id(), b.id());
        assert_ne!(a.id(), c.id());
        assert_eq!(a.index_of(&y), Some(1));
        assert_eq!(c.index_of(&y), Some(0));
        // An equal but distinct string finds the same slot.
        let y2 = crate::types::builtin::new_str(&vm, "y");
        assert_eq!(a.index_of(&y2), Some(1));
        assert_eq!(tree.count.get(), 5);
    }

    #[test]
    fn too_many_attributes_refuse_a_shape() {
        let vm = Vm::new();
        let tree = ShapeTree::default();
        let mut s = tree.root;
        for i in 0..MAX_ATTRS {
            s = s.add(&tree, &vm.intern(&format!("a{i}"))).expect("shape");
        }
        assert!(s.add(&tree, &vm.intern("one_more")).is_none());
    }
}
