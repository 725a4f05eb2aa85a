//! Struct sequences (CPython's `PyStructSequence`): named tuples written in
//! Rust, such as `time.struct_time`, `os.stat_result`, `sys.flags`.
//!
//! A struct-sequence type derives from `tuple`. Its instances are laid out
//! like instances of a class deriving from `tuple` (`Extended<TupleData>`):
//! the tuple holds the first `n_in_sequence` values (what indexing,
//! `len`, iteration, comparison and hashing see) and the `InstanceExt`
//! member slots hold every field, read by read-only member descriptors
//! named after the fields. Fields past `n_in_sequence` (`tm_zone`,
//! `st_atime` as a float, ...) are attributes only.
//!
//! ```ignore
//! static STRUCT_TIME: StructSeqDesc = StructSeqDesc { name: "time.struct_time", doc: "...",
//!     fields: &["tm_year", ...], n_in_sequence: 9 };
//! let ty = vm.native_type("time.struct_time", |vm| new_structseq_type(vm, &STRUCT_TIME));
//! let t = new_structseq(vm, &ty, values);
//! ```

use crate::native::MethodDef;
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_str, new_tuple, TupleData};
use crate::types::{is_subtype, type_data, type_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;

/// The name CPython gives fields without a name
/// (`PyStructSequence_UnnamedField`): they have no attribute, only an
/// index.
pub const UNNAMED: &str = "unnamed field";

/// A struct-sequence type's description (`PyStructSequence_Desc`).
pub struct StructSeqDesc {
    /// Full dotted name, `"time.struct_time"` (the module part becomes
    /// `__module__`).
    pub name: &'static str,
    pub doc: &'static str,
    /// Every field, in order; [`UNNAMED`] for fields without a name.
    pub fields: &'static [&'static str],
    /// How many leading fields form the tuple.
    pub n_in_sequence: usize,
}

impl StructSeqDesc {
    fn n_unnamed(&self) -> usize {
        self.fields.iter().filter(|f| **f == UNNAMED).count()
    }
}

/// Which description each struct-sequence type was made from (by the
/// type's address), per interpreter.
#[derive(Default)]
struct Registry {
    types: std::cell::RefCell<Vec<(usize, &'static StructSeqDesc)>>,
}

/// The description of `ty` or of its nearest struct-sequence base.
fn desc_of(vm: &Vm, ty: &Obj) -> Option<&'static StructSeqDesc> {
    let reg = vm.state::<Registry>();
    let types = reg.types.borrow();
    let mro = type_data(ty).mro.borrow();
    mro.iter().find_map(|t| types.iter().find(|(a, _)| *a == t.as_ptr() as usize).map(|(_, d)| *d))
}

static STRUCTSEQ_METHODS: &[MethodDef] = &[MethodDef::method("__reduce__", structseq_reduce, "Return state information for pickling.")];

/// Creates the struct-sequence type described by `desc`. Keep it per
/// interpreter with `Vm::native_type(desc.name, ...)`.
pub fn new_structseq_type(vm: &Vm, desc: &'static StructSeqDesc) -> Obj {
    let tuple = &vm.types.tuple;
    let mut layout = type_data(tuple).instances.extended();
    // A static type: instances do not own it (and `__name__` drops the
    // module part, as for CPython's non-heap types).
    layout.owns_type = false;
    let slots = Slots { new: Some(structseq_new), repr: Some(structseq_repr), ..Slots::default() };
    let ty = crate::vm::static_type_with_layout(&vm.types.type_, desc.name, &[tuple], layout, slots);
    let mut slots = slots;
    crate::classes::inherit_native_slots(&mut slots, &type_data(&ty).mro.borrow());
    let td = type_data(&ty);
    td.slots.set(slots);
    td.member_slots.set(desc.fields.len());
    crate::native::add_methods(vm, &ty, STRUCTSEQ_METHODS);
    {
        let mut dict = td.dict.borrow_mut();
        for (i, name) in desc.fields.iter().enumerate() {
            if *name == UNNAMED {
                continue;
            }
            let d = alloc(
                vm.types.member_descriptor.clone(),
                crate::descriptors::MemberData { name: vm.intern(name), owner: ty.clone(), index: i, readonly: true },
            );
            d.make_immortal();
            dict.insert(name, d);
        }
        dict.insert("n_sequence_fields", vm.int(desc.n_in_sequence as i64));
        dict.insert("n_fields", vm.int(desc.fields.len() as i64));
        dict.insert("n_unnamed_fields", vm.int(desc.n_unnamed() as i64));
        let match_args = desc.fields[..desc.n_in_sequence].iter().filter(|f| **f != UNNAMED).map(|f| new_str(vm, f)).collect();
        dict.insert("__match_args__", new_tuple(vm, match_args));
        if !desc.doc.is_empty() {
            dict.insert("__doc__", new_str(vm, desc.doc));
        }
    }
    crate::types::type_modified(&ty);
    vm.state::<Registry>().types.borrow_mut().push((ty.as_ptr() as usize, desc));
    ty
}

/// An instance of the struct-sequence type `ty` with `values`, one per
/// field (missing trailing values are None).
pub fn new_structseq(vm: &Vm, ty: &Obj, mut values: Vec<Obj>) -> Obj {
    let n_seq = desc_of(vm, ty).map_or(values.len(), |d| {
        values.resize(d.fields.len(), vm.none.clone());
        d.n_in_sequence
    });
    let items: Box<[Obj]> = values[..n_seq.min(values.len())].to_vec().into_boxed_slice();
    let obj = alloc(ty.clone(), TupleData { items });
    if let Some(ext) = obj.instance_ext() {
        *ext.members.borrow_mut() = values.into_iter().map(Some).collect();
    }
    obj
}

/// The value of field `index` of a struct sequence (None if out of range).
pub fn structseq_field(obj: &Obj, index: usize) -> Option<Obj> {
    obj.instance_ext().and_then(|e| e.members.borrow().get(index).cloned().flatten())
}

/// `StructSeq(sequence, dict=None)`.
/// Makes a struct-sequence type uninstantiable from Python (CPython's
/// `sys.flags` and `sys.version_info` have no `tp_new`): calling it, or
/// `tuple.__new__` on it, raises `TypeError`.
pub fn forbid_instances(ty: &Obj) {
    let td = type_data(ty);
    let mut slots = td.slots.get();
    slots.new = Some(|vm, cls, _, _| Err(vm.type_error(format!("cannot create '{}' instances", type_data(cls).name))));
    td.slots.set(slots);
    crate::types::type_modified(ty);
}

fn structseq_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: crate::native::Params =
        crate::native::Params { fname: "structseq", names: &["sequence", "dict"], posonly: 0, kwonly: 0, required: 1 };
    let [seq, dict] = crate::native::bind::<2>(vm, &PARAMS, args, kw)?;
    let Some(desc) = desc_of(vm, cls) else { return Err(vm.type_error("not a struct sequence type")) };
    let seq = seq.unwrap_or_else(|| vm.none.clone());
    let items = crate::types::container::collect(vm, &seq).map_err(|e| {
        if is_subtype(&type_of(&e.exc), &vm.types.type_error) {
            vm.type_error("constructor requires a sequence")
        } else {
            e
        }
    })?;
    let dict = dict.filter(|d| !d.is(&vm.none));
    if let Some(d) = &dict {
        if !is_subtype(&type_of(d), &vm.types.dict) {
            return Err(vm.type_error(format!("{}() takes a dict as second arg, if any", desc.name)));
        }
    }
    let (min, max, len) = (desc.n_in_sequence, desc.fields.len(), items.len());
    let exactly = min == max;
    if len < min {
        let how = if exactly { "a" } else { "an at least" };
        return Err(vm.type_error(format!("{}() takes {how} {min}-sequence ({len}-sequence given)", desc.name)));
    }
    if len > max {
        let how = if exactly { "a" } else { "an at most" };
        return Err(vm.type_error(format!("{}() takes {how} {max}-sequence ({len}-sequence given)", desc.name)));
    }
    let mut values = items;
    for name in &desc.fields[len..] {
        let v = match &dict {
            Some(d) if *name != UNNAMED => builtin::dict_get_str(vm, d, name)?,
            _ => None,
        };
        values.push(v.unwrap_or_else(|| vm.none.clone()));
    }
    Ok(new_structseq(vm, cls, values))
}

/// `time.struct_time(tm_year=2000, ...)`: the type's name and the
/// sequence fields. Like CPython, the names are those of the named
/// fields in order, paired with the leading values.
fn structseq_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let ty = type_of(o);
    let Some(desc) = desc_of(vm, &ty) else { return Err(vm.type_error("not a struct sequence")) };
    let Some(_guard) = crate::types::container::ReprGuard::enter(vm, o) else {
        return Ok(new_str(vm, &format!("{}(...)", type_data(&ty).name)));
    };
    let items = o.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    let names = desc.fields.iter().filter(|f| **f != UNNAMED);
    let mut out = format!("{}(", type_data(&ty).name);
    for (i, (name, v)) in names.zip(items.iter()).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let r = crate::ops::repr(vm, v)?;
        out.push_str(name);
        out.push('=');
        out.push_str(&builtin::str_data(&r).as_str());
    }
    out.push(')');
    Ok(new_str(vm, &out))
}

/// `__reduce__`: `(type, (sequence_part, {other named fields}))`.
fn structseq_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let ty = type_of(this);
    let Some(desc) = desc_of(vm, &ty) else { return Err(vm.type_error("not a struct sequence")) };
    let items = this.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    let extra = builtin::new_dict(vm);
    for (i, name) in desc.fields.iter().enumerate().skip(desc.n_in_sequence) {
        if *name != UNNAMED {
            let v = structseq_field(this, i).unwrap_or_else(|| vm.none.clone());
            builtin::dict_set(vm, &extra, vm.intern(name), v)?;
        }
    }
    let state = new_tuple(vm, vec![new_tuple(vm, items), extra]);
    Ok(new_tuple(vm, vec![ty, state]))
}
