//! Struct sequences (CPython's `PyStructSequence`): tuple subclasses whose
//! items are also named attributes, such as `os.stat_result`,
//! `time.struct_time` and `sys.flags`.
//!
//! A struct sequence type is described once by a static [`StructSeqDesc`]
//! and created per interpreter with [`new_type`] (keep it with
//! `Vm::native_type`). Its instances are tuples of the first
//! `n_in_sequence` fields; the remaining fields are hidden from the tuple
//! (not counted by `len`, not iterated) but readable as attributes. Every
//! field's value lives in the instance's member slots (the `InstanceExt`
//! of an `Extended<TupleData>` layout), the visible ones in the tuple too.
//!
//! ```ignore
//! static DESC: StructSeqDesc = StructSeqDesc {
//!     name: "os.terminal_size", doc: "...", fields: &["columns", "lines"], n_in_sequence: 2,
//! };
//! let ty = vm.native_type("os.terminal_size", |vm| structseq::new_type(vm, &DESC));
//! let v = structseq::new(vm, &ty, vec![vm.int(80), vm.int(24)])?;
//! ```

use crate::native::{MethodDef, Params};
use crate::object::{alloc, InstanceLayout, Obj};
use crate::types::builtin::{dict_get_str, new_dict, new_str, new_tuple, str_data, type_name, TupleData};
use crate::types::{type_data, type_of, Kwargs, Slots, TypeData};
use crate::vm::Vm;
use crate::PyResult;

/// The static description of a struct sequence type.
pub struct StructSeqDesc {
    /// Full dotted name (`"os.stat_result"`): `__module__` is the part
    /// before the last dot.
    pub name: &'static str,
    pub doc: &'static str,
    /// Every field, visible ones first. An empty name is an unnamed field
    /// (visible, but without an attribute; `os.stat_result`'s integer
    /// times).
    pub fields: &'static [&'static str],
    /// How many fields the tuple shows (`n_sequence_fields`).
    pub n_in_sequence: usize,
}

impl StructSeqDesc {
    fn n_unnamed(&self) -> usize {
        self.fields.iter().filter(|f| f.is_empty()).count()
    }

    /// Named fields in attribute order, each with its index in `fields`.
    fn named(&self) -> impl Iterator<Item = (usize, &'static str)> + '_ {
        self.fields.iter().enumerate().filter(|(_, f)| !f.is_empty()).map(|(i, f)| (i, *f))
    }
}

/// Which types are struct sequences, and their descriptions.
#[derive(Default)]
struct Registry {
    types: std::cell::RefCell<Vec<(usize, &'static StructSeqDesc)>>,
}

/// The description of `ty` or of the struct sequence type it derives from.
pub fn desc_of(vm: &Vm, ty: &Obj) -> Option<&'static StructSeqDesc> {
    let reg = vm.state::<Registry>();
    let types = reg.types.borrow();
    let mro = type_data(ty).mro.borrow();
    mro.iter().find_map(|t| types.iter().find(|(p, _)| *p == t.as_ptr() as usize).map(|(_, d)| *d))
}

/// The payload of a struct sequence's field attributes (a
/// `member_descriptor`, as in CPython): read-only access to field `index`.
pub struct FieldData {
    pub name: Obj,
    pub owner: Obj,
    pub index: usize,
}

fn field_type(vm: &Vm) -> Obj {
    vm.native_type("member_descriptor(structseq)", |vm| {
        crate::native::new_type::<FieldData>(
            vm,
            "member_descriptor",
            &[],
            true,
            Slots {
                repr: Some(|vm, o| {
                    let Some(f) = o.downcast::<FieldData>() else { return Ok(new_str(vm, "<member>")) };
                    let s = format!("<member '{}' of '{}' objects>", str_data(&f.name).as_str(), type_data(&f.owner).name);
                    Ok(new_str(vm, &s))
                }),
                descr_get: Some(|vm, d, obj, _| {
                    let Some(obj) = obj else { return Ok(d.clone()) };
                    let Some(f) = d.downcast::<FieldData>() else { return Err(vm.type_error("member descriptor expected")) };
                    check_owner(vm, f, obj)?;
                    Ok(field(vm, obj, f.index))
                }),
                descr_set: Some(|vm, d, obj, _| {
                    let Some(f) = d.downcast::<FieldData>() else { return Err(vm.type_error("member descriptor expected")) };
                    check_owner(vm, f, obj)?;
                    Err(vm.new_error(&vm.types.attribute_error, "readonly attribute"))
                }),
                traverse: Some(|o, visit| {
                    if let Some(f) = o.downcast::<FieldData>() {
                        visit(&f.name);
                        visit(&f.owner);
                    }
                }),
                ..Slots::default()
            },
            &[],
            &[],
        )
    })
}

fn check_owner(vm: &Vm, f: &FieldData, obj: &Obj) -> PyResult<()> {
    if crate::types::is_subtype(&type_of(obj), &f.owner) {
        return Ok(());
    }
    Err(vm.type_error(format!(
        "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
        str_data(&f.name).as_str(),
        type_data(&f.owner).name,
        type_name(obj)
    )))
}

/// Field `i` of a struct sequence instance (`None` if unset).
pub fn field(vm: &Vm, obj: &Obj, i: usize) -> Obj {
    obj.instance_ext().and_then(|e| e.members.borrow().get(i).cloned().flatten()).unwrap_or_else(|| vm.none.clone())
}

static STRUCTSEQ_METHODS: &[MethodDef] = &[MethodDef::method("__reduce__", structseq_reduce, "")];

/// Creates the struct sequence type described by `desc` (once per
/// interpreter: keep it with `Vm::native_type`).
pub fn new_type(vm: &Vm, desc: &'static StructSeqDesc) -> Obj {
    let tuple = &vm.types.tuple;
    let layout = InstanceLayout::of::<TupleData>(true, false).extended_static();
    let slots = Slots {
        new: Some(structseq_new),
        repr: Some(structseq_repr),
        traverse: Some(crate::types::tuple::tuple_traverse),
        ..Slots::default()
    };
    let ty = alloc(vm.types.type_.clone(), TypeData::new(desc.name, layout, vec![tuple.clone()], slots));
    ty.make_immortal();
    let mut mro = vec![ty.clone()];
    mro.extend(type_data(tuple).mro.borrow().iter().cloned());
    *type_data(&ty).mro.borrow_mut() = mro;
    type_data(tuple).subclasses.borrow_mut().push(ty.clone());
    let mut s = slots;
    crate::classes::inherit_native_slots(&mut s, &type_data(&ty).mro.borrow());
    type_data(&ty).slots.set(s);
    crate::native::add_methods(vm, &ty, STRUCTSEQ_METHODS);
    let ftype = field_type(vm);
    {
        let mut d = type_data(&ty).dict.borrow_mut();
        d.insert("__doc__", new_str(vm, desc.doc));
        d.insert("n_sequence_fields", vm.int(desc.n_in_sequence as i64));
        d.insert("n_fields", vm.int(desc.fields.len() as i64));
        d.insert("n_unnamed_fields", vm.int(desc.n_unnamed() as i64));
        let visible = desc.fields[..desc.n_in_sequence].iter().filter(|f| !f.is_empty()).map(|f| new_str(vm, f)).collect();
        d.insert("__match_args__", new_tuple(vm, visible));
        for (i, name) in desc.named() {
            let f = alloc(ftype.clone(), FieldData { name: vm.intern(name), owner: ty.clone(), index: i });
            f.make_immortal();
            d.insert(name, f);
        }
    }
    vm.state::<Registry>().types.borrow_mut().push((ty.as_ptr() as usize, desc));
    ty
}

/// A new instance of the struct sequence type `ty` from all its fields'
/// values (`values.len()` must be the number of fields).
pub fn new(vm: &Vm, ty: &Obj, values: Vec<Obj>) -> PyResult<Obj> {
    let Some(desc) = desc_of(vm, ty) else { return Err(vm.type_error("not a struct sequence type")) };
    if values.len() != desc.fields.len() {
        let system_error = vm.exception_type("SystemError").unwrap_or_else(|| vm.types.runtime_error.clone());
        return Err(vm.new_error(&system_error, "wrong number of struct sequence fields"));
    }
    Ok(alloc_values(ty, desc, values))
}

fn alloc_values(ty: &Obj, desc: &StructSeqDesc, values: Vec<Obj>) -> Obj {
    let visible: Box<[Obj]> = values[..desc.n_in_sequence].to_vec().into_boxed_slice();
    let obj = alloc(ty.clone(), TupleData { items: visible });
    if let Some(e) = obj.instance_ext() {
        *e.members.borrow_mut() = values.into_iter().map(Some).collect();
    }
    obj
}

/// The values of every field for `cls(sequence, dict=None)`, checked as
/// CPython's `structseq_new` does; types with their own `new` slot
/// (`os.stat_result`) adjust them and call [`new`].
pub fn values_from_args(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Vec<Obj>> {
    let Some(desc) = desc_of(vm, cls) else { return Err(vm.type_error("not a struct sequence type")) };
    static PARAMS: Params = Params { fname: "structseq", names: &["sequence", "dict"], posonly: 0, kwonly: 0, required: 1 };
    let [seq, dict] = crate::native::bind::<2>(vm, &PARAMS, args, kw)?;
    let seq = seq.unwrap_or_else(|| vm.none.clone());
    let items = crate::types::container::collect(vm, &seq)?;
    let dict = dict.filter(|d| !d.is(&vm.none));
    if let Some(d) = &dict {
        if d.downcast::<crate::types::builtin::DictData>().is_none() {
            return Err(vm.type_error(format!("{}() takes a dict as second arg, if any", desc.name)));
        }
    }
    let (min, max, len) = (desc.n_in_sequence, desc.fields.len(), items.len());
    if len < min || len > max {
        let msg = if min == max {
            format!("{}() takes a {min}-sequence ({len}-sequence given)", desc.name)
        } else if len < min {
            format!("{}() takes an at least {min}-sequence ({len}-sequence given)", desc.name)
        } else {
            format!("{}() takes an at most {max}-sequence ({len}-sequence given)", desc.name)
        };
        return Err(vm.type_error(msg));
    }
    let mut values = items;
    for name in &desc.fields[len..] {
        let v = match (&dict, name.is_empty()) {
            (Some(d), false) => dict_get_str(vm, d, name)?,
            _ => None,
        };
        values.push(v.unwrap_or_else(|| vm.none.clone()));
    }
    Ok(values)
}

fn structseq_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let values = values_from_args(vm, cls, args, kw)?;
    new(vm, cls, values)
}

fn structseq_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let ty = type_of(o);
    let Some(desc) = desc_of(vm, &ty) else { return Err(vm.type_error("not a struct sequence")) };
    let Some(_guard) = crate::types::container::ReprGuard::enter(vm, o) else {
        return Ok(new_str(vm, &format!("{}(...)", type_data(&ty).name)));
    };
    let items = o.downcast::<TupleData>().map_or(&[][..], |t| &t.items[..]);
    // As CPython: the i-th visible value is labelled with the i-th named
    // field (so unnamed fields borrow the names that follow them).
    let names: Vec<&str> = desc.named().map(|(_, n)| n).collect();
    let mut parts = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        let name = names.get(i).copied().unwrap_or("");
        parts.push(format!("{name}={}", crate::types::builtin::repr_string(vm, v)?));
    }
    Ok(new_str(vm, &format!("{}({})", type_data(&ty).name, parts.join(", "))))
}

/// `__reduce__`: `(type, (visible_tuple, {hidden named fields}))`.
fn structseq_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let ty = type_of(this);
    let Some(desc) = desc_of(vm, &ty) else { return Err(vm.type_error("not a struct sequence")) };
    let items = this.downcast::<TupleData>().map_or(Vec::new(), |t| t.items.to_vec());
    let d = new_dict(vm);
    for (i, name) in desc.named().filter(|(i, _)| *i >= desc.n_in_sequence) {
        crate::types::builtin::dict_set(vm, &d, vm.intern(name), field(vm, this, i))?;
    }
    Ok(new_tuple(vm, vec![ty, new_tuple(vm, vec![new_tuple(vm, items), d])]))
}
