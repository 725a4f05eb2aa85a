//! The interpreter state: the built-in types and singletons, created once,
//! and the error type every fallible operation returns.
//!
//! Holding a `&Vm` is what lets code touch objects (the GIL token of
//! DESIGN.md): a `Vm` is neither `Send` nor `Sync`; the threads of an
//! interpreter share it, each using it only while it holds the GIL
//! (`crate::thread`, `object::gil`).

use crate::object::{alloc, alloc_metatype, InstanceLayout, Obj};
use crate::types::builtin::{self, IntData, StrData};
use crate::types::{c3_mro, type_data, Slots, TypeData};

/// A raised Python exception: the exception instance.
#[derive(Clone, Debug)]
pub struct PyErr {
    pub exc: Obj,
}

/// The built-in types, as strong (immortal) references.
pub struct Types {
    pub type_: Obj,
    pub object: Obj,
    pub none: Obj,
    pub not_implemented: Obj,
    pub bool_: Obj,
    pub int: Obj,
    pub float: Obj,
    pub complex: Obj,
    pub str_: Obj,
    pub bytes: Obj,
    pub bytearray: Obj,
    pub memoryview: Obj,
    pub bytes_iterator: Obj,
    pub bytearray_iterator: Obj,
    pub tuple: Obj,
    pub list: Obj,
    pub dict: Obj,
    pub function: Obj,
    pub builtin_function: Obj,
    pub code: Obj,
    pub cell: Obj,
    pub slice: Obj,
    pub method: Obj,
    pub method_descriptor: Obj,
    pub classmethod_descriptor: Obj,
    pub getset_descriptor: Obj,
    pub property: Obj,
    pub classmethod: Obj,
    pub staticmethod: Obj,
    pub super_: Obj,
    pub member_descriptor: Obj,
    pub wrapper_descriptor: Obj,
    pub method_wrapper: Obj,
    /// A native method bound to its receiver (also named
    /// `builtin_function_or_method`, as in CPython).
    pub builtin_method: Obj,
    pub generator: Obj,
    pub coroutine: Obj,
    /// The iterator of `coroutine.__await__()`.
    pub coroutine_wrapper: Obj,
    pub async_generator: Obj,
    pub async_generator_asend: Obj,
    pub async_generator_athrow: Obj,
    pub base_exception: Obj,
    pub exception: Obj,
    pub type_error: Obj,
    pub value_error: Obj,
    pub name_error: Obj,
    pub unbound_local_error: Obj,
    pub attribute_error: Obj,
    pub index_error: Obj,
    pub key_error: Obj,
    pub zero_division_error: Obj,
    pub overflow_error: Obj,
    pub recursion_error: Obj,
    pub runtime_error: Obj,
    pub stop_iteration: Obj,
    pub system_exit: Obj,
    pub import_error: Obj,
    pub module_not_found_error: Obj,
    pub lookup_error: Obj,
    pub unicode_error: Obj,
    pub unicode_encode_error: Obj,
    pub unicode_decode_error: Obj,
    pub unicode_translate_error: Obj,
    pub buffer_error: Obj,
    pub memory_error: Obj,
    pub not_implemented_error: Obj,
    pub module: Obj,
    pub list_iterator: Obj,
    pub list_reverseiterator: Obj,
    pub tuple_iterator: Obj,
    pub set: Obj,
    pub frozenset: Obj,
    pub set_iterator: Obj,
    pub dict_keys: Obj,
    pub dict_values: Obj,
    pub dict_items: Obj,
    pub dict_keyiterator: Obj,
    pub dict_valueiterator: Obj,
    pub dict_itemiterator: Obj,
    pub dict_reversekeyiterator: Obj,
    pub dict_reversevalueiterator: Obj,
    pub dict_reverseitemiterator: Obj,
    pub mappingproxy: Obj,
    pub range: Obj,
    pub range_iterator: Obj,
    /// `weakref.ReferenceType` (`_weakref.ref`) and the proxy types.
    pub weakref: Obj,
    pub weakproxy: Obj,
    pub weakcallableproxy: Obj,
    pub unraisable_hook_args: Obj,
    pub traceback: Obj,
    pub ellipsis: Obj,
    pub enumerate: Obj,
    pub filter: Obj,
    pub map: Obj,
    pub zip: Obj,
    pub reversed: Obj,
    pub callable_iterator: Obj,
    /// `iterator`: the sequence-protocol iterator.
    pub seq_iterator: Obj,
    pub os_error: Obj,
    pub syntax_error: Obj,
    pub assertion_error: Obj,
    /// Every built-in exception class, in `types::exceptions::EXCEPTIONS`
    /// order.
    pub exceptions: Vec<(&'static str, Obj)>,
}

/// A function run at interpreter exit (`Vm::add_exit_hook`).
pub type ExitHook = fn(&Vm);

/// Entries of `Vm::native_type`'s cache.
const NATIVE_TYPE_CACHE: usize = 64;
/// One entry of that cache: the key's address and length, and the type.
type NativeTypeEntry = Option<(usize, usize, Obj)>;
/// Entries of `Vm::intern`'s cache.
const INTERN_CACHE: usize = 256;

pub struct Vm {
    pub types: Types,
    pub none: Obj,
    pub not_implemented: Obj,
    /// `...`
    pub ellipsis: Obj,
    pub true_: Obj,
    pub false_: Obj,
    /// Cached ints from -5 to 256, as CPython keeps them.
    small_ints: Vec<Obj>,
    /// The `builtins` module's namespace (a dict).
    pub builtins: Obj,
    pub recursion_limit: std::cell::Cell<u32>,
    /// Python frames executing now, in all nested eval loops.
    pub(crate) depth: std::cell::Cell<u32>,
    /// `sys.modules`.
    pub modules: Obj,
    /// `sys.path` (a list; see `import::init_path`).
    pub path: Obj,
    /// `sys.argv`, set by the command line before any import of `sys`.
    pub argv: std::cell::RefCell<Vec<Vec<u8>>>,
    /// The `__build_class__` builtin the `LoadBuildClass` instruction pushes.
    pub build_class: Obj,
    /// What `LoadMethod` pushes below a plain attribute value (CPython's
    /// NULL): an object Python code never sees.
    pub(crate) null_marker: Obj,
    /// The interned `'__builtins__'` (`specialize::builtins_of` looks it up
    /// in globals without making a str each time).
    pub(crate) builtins_name: std::cell::OnceCell<Obj>,
    /// Interned strings (names in code), so namespace lookups hit by identity.
    interned: std::cell::RefCell<std::collections::HashMap<Box<str>, Obj>>,
    /// Recently interned strs (`intern`), by a cheap hash of their text.
    intern_cache: std::cell::RefCell<Box<[Option<Obj>; INTERN_CACHE]>>,
    /// Exceptions being handled, innermost last (`sys.exc_info()`).
    pub handled: std::cell::RefCell<Vec<Obj>>,
    /// Containers whose `repr` is in progress (`Py_ReprEnter`), by address.
    pub(crate) repr_active: std::cell::RefCell<Vec<usize>>,
    /// Namespaces of the frames calling frame-reading builtins
    /// (`eval::caller_frame`).
    pub(crate) frame_views: std::cell::RefCell<Vec<crate::eval::FrameView>>,
    /// This thread's Python frames waiting for a Python callee, and the
    /// runs of the eval loop (`eval::FrameChain`).
    pub(crate) frame_chain: std::cell::RefCell<crate::eval::FrameChain>,
    /// The instruction of the last call from the eval loop to native code
    /// (the line a nested run's `f_back` shows).
    pub(crate) callout_last: std::cell::Cell<u32>,
    /// The code object (its address) of the frame that made that call:
    /// `callout_last` is stale once that frame is no longer the running one.
    pub(crate) callout_code: std::cell::Cell<usize>,
    /// The threads waiting without the GIL, with their thread state
    /// (`thread::ParkedThread`).
    pub(crate) parked: std::cell::RefCell<Vec<crate::thread::ParkedThread>>,
    /// `sys.set_coroutine_origin_tracking_depth` of the thread holding the
    /// GIL: how many frames a new coroutine records in `cr_origin`.
    pub(crate) coro_origin_depth: std::cell::Cell<u32>,
    /// A `sys.settrace`/`setprofile` function is installed (the eval loop
    /// then runs frames through `eval::run_frame_traced`).
    pub(crate) tracing: std::cell::Cell<bool>,
    /// Buffers of finished frames, for the next calls (`eval::FramePool`).
    pub(crate) frame_pool: std::cell::RefCell<crate::eval::FramePool>,
    /// `tracemalloc`'s traces (`crate::tracemalloc`).
    pub(crate) tracemalloc: crate::tracemalloc::Tracer,
    /// Hidden classes of instances (`shape`): the transition tree.
    pub shapes: crate::shape::ShapeTree,
    /// Modules written in Rust that `import` finds by name (the vm's own and
    /// those registered by `add_native_modules`, e.g. the stdlib crate's).
    native_modules: std::cell::RefCell<Vec<&'static crate::modules::NativeModuleDef>>,
    /// Types created by native modules, by their full name (`native_type`).
    native_types: std::cell::RefCell<crate::hash::FastMap<&'static str, Obj>>,
    /// A direct-mapped cache in front of `native_types`, keyed by the key's
    /// address and length: a call site always passes the same literal, so
    /// a hit costs no hashing of the name (native modules look their
    /// types up on every operation that makes an object).
    native_type_cache: std::cell::RefCell<Box<[NativeTypeEntry; NATIVE_TYPE_CACHE]>>,
    /// Per-interpreter state of native modules, one value per Rust type
    /// (`state`).
    native_state: std::cell::RefCell<crate::hash::FastMap<std::any::TypeId, std::rc::Rc<dyn std::any::Any>>>,
    /// Run once at interpreter exit, lowest order first (`add_exit_hook`).
    exit_hooks: std::cell::RefCell<Vec<(i32, ExitHook)>>,
    /// The current `contextvars` context of the thread holding the GIL
    /// (None until first used; swapped with the thread state).
    pub context: std::cell::RefCell<Option<Obj>>,
    /// The global interpreter lock (`crate::thread`), held by the thread
    /// creating the `Vm`.
    pub(crate) gil: std::sync::Arc<crate::thread::Gil>,
}

impl Drop for Vm {
    fn drop(&mut self) {
        // Other threads never take the GIL again (see `object::gil`).
        self.gil.finalize();
    }
}

/// Creates a static (immortal) type with payload layout `P`.
pub(crate) fn static_type<P: 'static>(meta: &Obj, name: &str, bases: &[&Obj], gc: bool, slots: Slots) -> Obj {
    static_type_with_layout(meta, name, bases, InstanceLayout::of::<P>(gc, false), slots)
}

/// Creates a static (immortal) type whose instances are laid out as
/// `layout` (e.g. the extended layout of a built-in base, for types that
/// keep member slots, like struct sequences).
pub(crate) fn static_type_with_layout(meta: &Obj, name: &str, bases: &[&Obj], mut layout: InstanceLayout, slots: Slots) -> Obj {
    // Instances whose type has a finalizer go through it when freed.
    layout.finalizes |= slots.finalize.is_some();
    let bases: Vec<Obj> = bases.iter().map(|b| (*b).clone()).collect();
    let ty = alloc(meta.clone(), TypeData::new(name, layout, bases.clone(), slots));
    ty.make_immortal();
    let mro = match c3_mro(&ty, &bases) {
        Some(m) => m,
        None => unreachable!("built-in type hierarchy is consistent"),
    };
    *type_data(&ty).mro.borrow_mut() = mro;
    for b in &bases {
        crate::types::add_static_subclass(b, &ty);
    }
    ty
}

/// One level of native recursion (`Py_EnterRecursiveCall`), released on
/// drop. Native code that recurses on the Rust stack (repr of nested
/// containers, comparisons, calls) shares the recursion limit with Python
/// frames, so deep structures raise RecursionError instead of overflowing
/// the native stack.
pub struct RecursionGuard<'vm> {
    depth: &'vm std::cell::Cell<u32>,
}

impl Drop for RecursionGuard<'_> {
    fn drop(&mut self) {
        self.depth.set(self.depth.get() - 1);
    }
}

impl Vm {
    /// Enters one level of native recursion; RecursionError ("maximum
    /// recursion depth exceeded" + `context`) at the limit.
    #[inline]
    pub fn enter_recursive_call(&self, context: &str) -> crate::PyResult<RecursionGuard<'_>> {
        let d = self.depth.get();
        if d >= self.recursion_limit.get() {
            return Err(self.new_error(&self.types.recursion_error, format!("maximum recursion depth exceeded{context}")));
        }
        self.depth.set(d + 1);
        Ok(RecursionGuard { depth: &self.depth })
    }

    /// Builds the built-in types and singletons.
    pub fn new() -> Vm {
        let meta_layout = InstanceLayout::of::<TypeData>(true, false);
        let type_ = alloc_metatype(TypeData::new("type", meta_layout, Vec::new(), crate::types::type_slots()), meta_layout);
        let object = static_type::<()>(&type_, "object", &[], false, builtin::object_type_slots());
        // `type` derives from `object`; its MRO is fixed up now that both exist.
        *type_data(&type_).mro.borrow_mut() = vec![type_.clone(), object.clone()];
        *type_data(&type_).bases.borrow_mut() = vec![object.clone()];
        crate::types::add_static_subclass(&object, &type_);
        let t = |name: &str, gc: bool, slots: Slots| -> Obj { static_type::<()>(&type_, name, &[&object], gc, slots) };
        let none_t = t("NoneType", false, builtin::none_slots());
        let ni_t = t("NotImplementedType", false, builtin::not_implemented_slots());
        let int = static_type::<IntData>(&type_, "int", &[&object], false, builtin::int_slots());
        let bool_ = static_type::<IntData>(&type_, "bool", &[&int], false, builtin::bool_slots());
        let float = static_type::<f64>(&type_, "float", &[&object], false, builtin::float_slots());
        let complex =
            static_type::<crate::types::complex::Complex>(&type_, "complex", &[&object], false, crate::types::complex::complex_slots());
        let str_ = static_type::<StrData>(&type_, "str", &[&object], false, builtin::str_slots());
        let bytes = static_type::<crate::types::bytes::BytesData>(&type_, "bytes", &[&object], false, crate::types::bytes::bytes_slots());
        let bytearray = static_type::<crate::types::bytearray::ByteArrayData>(
            &type_,
            "bytearray",
            &[&object],
            false,
            crate::types::bytearray::bytearray_slots(),
        );
        let memoryview = static_type::<crate::types::memoryview::MemoryViewData>(
            &type_,
            "memoryview",
            &[&object],
            true,
            crate::types::memoryview::memoryview_slots(),
        );
        crate::types::type_data(&memoryview).weakrefable.set(true);
        let bytes_iterator = static_type::<crate::types::bytes::BytesIterData>(
            &type_,
            "bytes_iterator",
            &[&object],
            true,
            crate::types::bytes::bytes_iterator_slots(),
        );
        let bytearray_iterator = static_type::<crate::types::bytes::BytesIterData>(
            &type_,
            "bytearray_iterator",
            &[&object],
            true,
            crate::types::bytes::bytes_iterator_slots(),
        );
        let tuple = static_type::<builtin::TupleData>(&type_, "tuple", &[&object], true, builtin::tuple_slots());
        let list = static_type::<builtin::ListData>(&type_, "list", &[&object], true, builtin::list_slots());
        let dict = static_type::<builtin::DictData>(&type_, "dict", &[&object], true, builtin::dict_slots());
        let function =
            static_type::<crate::function::FunctionData>(&type_, "function", &[&object], true, crate::function::function_slots());
        let builtin_function = static_type::<crate::function::BuiltinFunctionData>(
            &type_,
            "builtin_function_or_method",
            &[&object],
            false,
            crate::function::builtin_function_slots(),
        );
        // Compared and hashed by value, as CPython; a GC head for weakrefs.
        let code = static_type::<crate::function::CodeData>(&type_, "code", &[&object], true, crate::function::code_slots());
        let cell = static_type::<crate::eval::CellData>(&type_, "cell", &[&object], true, crate::function::cell_slots());
        let slice = static_type::<crate::sequence::SliceData>(&type_, "slice", &[&object], true, crate::types::slice::slice_slots());
        let generator =
            static_type::<crate::generator::GeneratorData>(&type_, "generator", &[&object], true, crate::generator::generator_slots());
        let coroutine =
            static_type::<crate::generator::GeneratorData>(&type_, "coroutine", &[&object], true, crate::generator::generator_slots());
        let coroutine_wrapper = static_type::<crate::generator::CoroWrapperData>(
            &type_,
            "coroutine_wrapper",
            &[&object],
            true,
            crate::generator::coro_wrapper_slots(),
        );
        let async_generator = static_type::<crate::generator::GeneratorData>(
            &type_,
            "async_generator",
            &[&object],
            true,
            crate::generator::async_generator_slots(),
        );
        let async_generator_asend = static_type::<crate::generator::AsendData>(
            &type_,
            "async_generator_asend",
            &[&object],
            true,
            crate::generator::awaitable_slots(),
        );
        let async_generator_athrow = static_type::<crate::generator::AthrowData>(
            &type_,
            "async_generator_athrow",
            &[&object],
            true,
            crate::generator::awaitable_slots(),
        );
        let method = static_type::<crate::classes::MethodData>(&type_, "method", &[&object], true, crate::classes::method_slots());
        let method_descriptor = static_type::<crate::native::MethodDescrData>(
            &type_,
            "method_descriptor",
            &[&object],
            false,
            crate::native::method_descr_slots(),
        );
        let classmethod_descriptor = static_type::<crate::native::MethodDescrData>(
            &type_,
            "classmethod_descriptor",
            &[&object],
            false,
            crate::native::classmethod_descr_slots(),
        );
        let getset_descriptor = static_type::<crate::native::GetSetDescrData>(
            &type_,
            "getset_descriptor",
            &[&object],
            true,
            crate::native::getset_descr_slots(),
        );
        // (CPython has one type for both; deriving from the function type
        // makes `isinstance([].append, types.BuiltinFunctionType)` hold.)
        let builtin_method = static_type::<crate::native::BoundNativeData>(
            &type_,
            "builtin_function_or_method",
            &[&builtin_function],
            true,
            crate::native::bound_native_slots(),
        );
        use crate::descriptors as d;
        let property = static_type::<d::PropertyData>(&type_, "property", &[&object], true, d::property_slots());
        let classmethod = static_type::<d::WrappedFunc>(&type_, "classmethod", &[&object], true, d::classmethod_slots());
        let staticmethod = static_type::<d::WrappedFunc>(&type_, "staticmethod", &[&object], true, d::staticmethod_slots());
        let super_ = static_type::<d::SuperData>(&type_, "super", &[&object], true, d::super_slots());
        let member_descriptor = static_type::<d::MemberData>(&type_, "member_descriptor", &[&object], true, d::member_slots());
        let wrapper_descriptor = static_type::<d::WrapperData>(&type_, "wrapper_descriptor", &[&object], true, d::wrapper_descr_slots());
        let method_wrapper = static_type::<d::BoundWrapperData>(&type_, "method-wrapper", &[&object], true, d::method_wrapper_slots());
        let list_iterator = static_type::<builtin::ListIterData>(&type_, "list_iterator", &[&object], true, builtin::list_iterator_slots());
        let list_reverseiterator = static_type::<builtin::ListRevIterData>(
            &type_,
            "list_reverseiterator",
            &[&object],
            true,
            builtin::list_reverseiterator_slots(),
        );
        let tuple_iterator =
            static_type::<builtin::TupleIterData>(&type_, "tuple_iterator", &[&object], true, builtin::tuple_iterator_slots());
        let set = static_type::<builtin::SetData>(&type_, "set", &[&object], true, builtin::set_slots());
        let frozenset = static_type::<builtin::SetData>(&type_, "frozenset", &[&object], true, builtin::frozenset_slots());
        // Sets can be weakly referenced (CPython's `weakreflist`).
        crate::types::type_data(&set).weakrefable.set(true);
        crate::types::type_data(&frozenset).weakrefable.set(true);
        let set_iterator = static_type::<builtin::SetIterData>(&type_, "set_iterator", &[&object], true, builtin::set_iterator_slots());
        let view = |name: &str| static_type::<builtin::DictViewData>(&type_, name, &[&object], true, builtin::dict_view_slots());
        let (dict_keys, dict_values, dict_items) = (view("dict_keys"), view("dict_values"), view("dict_items"));
        let dict_iter = |name: &str| static_type::<builtin::DictIterData>(&type_, name, &[&object], true, builtin::dict_iterator_slots());
        let dict_keyiterator = dict_iter("dict_keyiterator");
        let dict_valueiterator = dict_iter("dict_valueiterator");
        let dict_itemiterator = dict_iter("dict_itemiterator");
        let dict_reversekeyiterator = dict_iter("dict_reversekeyiterator");
        let dict_reversevalueiterator = dict_iter("dict_reversevalueiterator");
        let dict_reverseitemiterator = dict_iter("dict_reverseitemiterator");
        let mappingproxy =
            static_type::<builtin::MappingProxyData>(&type_, "mappingproxy", &[&object], true, builtin::mappingproxy_slots());
        let range = static_type::<builtin::RangeData>(&type_, "range", &[&object], false, builtin::range_slots());
        let range_iterator =
            static_type::<builtin::RangeIterData>(&type_, "range_iterator", &[&object], false, builtin::range_iterator_slots());
        let exceptions = crate::types::exceptions::create_exception_types(&type_, &object);
        let exc = |name: &str| -> Obj {
            match exceptions.iter().find(|(n, _)| *n == name) {
                Some((_, t)) => t.clone(),
                None => unreachable!("{name} is in the exception table"),
            }
        };
        let traceback = static_type::<builtin::TracebackData>(&type_, "traceback", &[&object], true, builtin::traceback_slots());
        let ellipsis = t("ellipsis", false, builtin::ellipsis_slots());
        use crate::types::iterators as it;
        let enumerate = static_type::<it::EnumerateData>(&type_, "enumerate", &[&object], true, it::enumerate_slots());
        let filter = static_type::<it::FilterData>(&type_, "filter", &[&object], true, it::filter_slots());
        let map = static_type::<it::MapData>(&type_, "map", &[&object], true, it::map_slots());
        let zip = static_type::<it::ZipData>(&type_, "zip", &[&object], true, it::zip_slots());
        let reversed = static_type::<it::ReversedData>(&type_, "reversed", &[&object], true, it::reversed_slots());
        let callable_iterator =
            static_type::<it::CallableIterData>(&type_, "callable_iterator", &[&object], true, it::callable_iterator_slots());
        let seq_iterator = static_type::<it::SeqIterData>(&type_, "iterator", &[&object], true, it::seq_iterator_slots());
        let module = static_type::<crate::modules::ModuleData>(&type_, "module", &[&object], true, crate::modules::module_slots());
        let weak = |name: &str, slots: Slots| static_type::<crate::weakref::WeakRefData>(&type_, name, &[&object], true, slots);
        let weakref = weak("weakref.ReferenceType", crate::weakref::ref_slots());
        let weakproxy = weak("weakref.ProxyType", crate::weakref::proxy_slots(false));
        let weakcallableproxy = weak("weakref.CallableProxyType", crate::weakref::proxy_slots(true));
        let unraisable_hook_args =
            static_type::<crate::gc::UnraisableArgs>(&type_, "UnraisableHookArgs", &[&object], false, crate::gc::unraisable_args_slots());
        let types = Types {
            unraisable_hook_args,
            weakref,
            weakproxy,
            weakcallableproxy,
            none: none_t.clone(),
            not_implemented: ni_t.clone(),
            bool_,
            int,
            float,
            complex,
            str_,
            bytes,
            bytearray,
            memoryview,
            bytes_iterator,
            bytearray_iterator,
            tuple,
            list,
            dict,
            function,
            builtin_function,
            code,
            cell,
            slice,
            method,
            method_descriptor,
            classmethod_descriptor,
            getset_descriptor,
            property,
            classmethod,
            staticmethod,
            super_,
            member_descriptor,
            wrapper_descriptor,
            method_wrapper,
            builtin_method,
            generator,
            coroutine,
            coroutine_wrapper,
            async_generator,
            async_generator_asend,
            async_generator_athrow,
            type_error: exc("TypeError"),
            value_error: exc("ValueError"),
            unbound_local_error: exc("UnboundLocalError"),
            name_error: exc("NameError"),
            attribute_error: exc("AttributeError"),
            index_error: exc("IndexError"),
            key_error: exc("KeyError"),
            zero_division_error: exc("ZeroDivisionError"),
            overflow_error: exc("OverflowError"),
            recursion_error: exc("RecursionError"),
            stop_iteration: exc("StopIteration"),
            system_exit: exc("SystemExit"),
            module_not_found_error: exc("ModuleNotFoundError"),
            import_error: exc("ImportError"),
            unicode_error: exc("UnicodeError"),
            unicode_encode_error: exc("UnicodeEncodeError"),
            unicode_decode_error: exc("UnicodeDecodeError"),
            unicode_translate_error: exc("UnicodeTranslateError"),
            buffer_error: exc("BufferError"),
            memory_error: exc("MemoryError"),
            module,
            runtime_error: exc("RuntimeError"),
            base_exception: exc("BaseException"),
            exception: exc("Exception"),
            os_error: exc("OSError"),
            syntax_error: exc("SyntaxError"),
            not_implemented_error: exc("NotImplementedError"),
            lookup_error: exc("LookupError"),
            assertion_error: exc("AssertionError"),
            traceback,
            ellipsis: ellipsis.clone(),
            enumerate,
            filter,
            map,
            zip,
            reversed,
            callable_iterator,
            seq_iterator,
            exceptions,
            list_iterator,
            list_reverseiterator,
            tuple_iterator,
            set,
            frozenset,
            set_iterator,
            dict_keys,
            dict_values,
            dict_items,
            dict_keyiterator,
            dict_valueiterator,
            dict_itemiterator,
            dict_reversekeyiterator,
            dict_reversevalueiterator,
            dict_reverseitemiterator,
            mappingproxy,
            range,
            range_iterator,
            type_,
            object,
        };
        for t in [&types.list, &types.tuple, &types.range, &types.memoryview] {
            type_data(t).collection.set(crate::types::Collection::Sequence);
        }
        for t in [&types.dict, &types.mappingproxy] {
            type_data(t).collection.set(crate::types::Collection::Mapping);
        }
        let none = alloc(none_t, ());
        none.make_immortal();
        let not_implemented = alloc(ni_t, ());
        not_implemented.make_immortal();
        let ellipsis_obj = alloc(ellipsis, ());
        ellipsis_obj.make_immortal();
        let true_ = alloc(types.bool_.clone(), IntData::Small(1));
        true_.make_immortal();
        let false_ = alloc(types.bool_.clone(), IntData::Small(0));
        false_.make_immortal();
        let small_ints = (-5..=256)
            .map(|i| {
                let o = alloc(types.int.clone(), IntData::Small(i));
                o.make_immortal();
                o
            })
            .collect();
        let builtins = builtin::new_dict_raw(&types);
        let modules = builtin::new_dict_raw(&types);
        let path = alloc(types.list.clone(), builtin::ListData { items: std::cell::RefCell::new(Vec::new()) });
        let build_class = alloc(
            types.builtin_function.clone(),
            crate::function::BuiltinFunctionData {
                name: "__build_class__",
                func: crate::classes::build_class,
                reads_caller_frame: false,
                module: Default::default(),
                static_owner: Default::default(),
                doc: Default::default(),
            },
        );
        build_class.make_immortal();
        let null_marker = alloc(types.object.clone(), ());
        null_marker.make_immortal();
        let vm = Vm {
            types,
            none,
            not_implemented,
            ellipsis: ellipsis_obj,
            true_,
            false_,
            small_ints,
            builtins,
            recursion_limit: std::cell::Cell::new(1000),
            depth: std::cell::Cell::new(0),
            build_class,
            null_marker,
            builtins_name: std::cell::OnceCell::new(),
            modules,
            path,
            argv: std::cell::RefCell::new(Vec::new()),
            handled: std::cell::RefCell::new(Vec::new()),
            repr_active: std::cell::RefCell::new(Vec::new()),
            frame_views: std::cell::RefCell::new(Vec::new()),
            frame_chain: std::cell::RefCell::new(crate::eval::FrameChain::default()),
            callout_last: std::cell::Cell::new(0),
            callout_code: std::cell::Cell::new(0),
            parked: std::cell::RefCell::new(Vec::new()),
            coro_origin_depth: std::cell::Cell::new(0),
            tracing: std::cell::Cell::new(false),
            frame_pool: std::cell::RefCell::new(crate::eval::FramePool::default()),
            tracemalloc: crate::tracemalloc::Tracer::default(),
            shapes: crate::shape::ShapeTree::default(),
            interned: std::cell::RefCell::new(std::collections::HashMap::new()),
            intern_cache: std::cell::RefCell::new(Box::new([(); INTERN_CACHE].map(|_| None))),
            native_modules: std::cell::RefCell::new(crate::modules::VM_MODULES.iter().collect()),
            native_types: std::cell::RefCell::new(crate::hash::FastMap::default()),
            native_type_cache: std::cell::RefCell::new(Box::new([(); NATIVE_TYPE_CACHE].map(|_| None))),
            native_state: std::cell::RefCell::new(crate::hash::FastMap::default()),
            exit_hooks: std::cell::RefCell::new(Vec::new()),
            context: std::cell::RefCell::new(None),
            gil: std::sync::Arc::new(crate::thread::Gil::new_held()),
        };
        crate::builtins_module::install(&vm);
        crate::import::install(&vm);
        crate::types::install_methods(&vm);
        crate::descriptors::install_builtins(&vm);
        crate::weakref::install(&vm);
        vm
    }

    /// Makes the modules in `defs` importable by name (built-in modules:
    /// they come before any `sys.path` entry).
    pub fn add_native_modules(&self, defs: &'static [crate::modules::NativeModuleDef]) {
        self.native_modules.borrow_mut().extend(defs.iter());
    }

    /// The native module definition named `name`, if any.
    pub fn native_module(&self, name: &str) -> Option<&'static crate::modules::NativeModuleDef> {
        self.native_modules.borrow().iter().find(|d| d.name == name).copied()
    }

    /// The names of all native modules (`sys.builtin_module_names`), sorted.
    pub fn native_module_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.native_modules.borrow().iter().map(|d| d.name).collect();
        names.sort_unstable();
        names
    }

    /// The native type registered under `key` (its full name, such as
    /// `"collections.deque"`), created by `make` on first use. Native
    /// modules keep their types here rather than in statics, so that they
    /// belong to this interpreter.
    pub fn native_type(&self, key: &'static str, make: fn(&Vm) -> Obj) -> Obj {
        let (addr, len) = (key.as_ptr() as usize, key.len());
        let slot = (addr ^ (addr >> 6) ^ (addr >> 12)) % NATIVE_TYPE_CACHE;
        if let Ok(c) = self.native_type_cache.try_borrow() {
            if let Some((a, l, t)) = &c[slot] {
                if *a == addr && *l == len {
                    return t.clone();
                }
            }
        }
        let found = self.native_types.borrow().get(key).cloned();
        let t = match found {
            Some(t) => t,
            None => {
                let t = make(self);
                self.native_types.borrow_mut().insert(key, t.clone());
                t
            }
        };
        // The map keeps every type alive: replacing an entry frees nothing.
        if let Ok(mut c) = self.native_type_cache.try_borrow_mut() {
            c[slot] = Some((addr, len, t.clone()));
        }
        t
    }

    /// This interpreter's instance of a native module's state `T` (created
    /// with `T::default()` on first use). Mutable parts go in `Cell`s or
    /// `RefCell`s inside `T`.
    pub fn state<T: Default + 'static>(&self) -> std::rc::Rc<T> {
        let id = std::any::TypeId::of::<T>();
        if let Some(s) = self.native_state.borrow().get(&id) {
            if let Ok(s) = s.clone().downcast::<T>() {
                return s;
            }
        }
        let s = std::rc::Rc::new(T::default());
        self.native_state.borrow_mut().insert(id, s.clone());
        s
    }

    /// Registers `hook` to run at interpreter exit (after the main module
    /// finishes or raises, before objects are finalized). Hooks run in
    /// increasing `order`, then in registration order: `atexit` callbacks
    /// use order 0, flushing the standard streams 100.
    pub fn add_exit_hook(&self, order: i32, hook: fn(&Vm)) {
        let mut hooks = self.exit_hooks.borrow_mut();
        if !hooks.iter().any(|&(o, h)| o == order && h as usize == hook as usize) {
            hooks.push((order, hook));
        }
    }

    /// Runs the exit hooks once (later calls do nothing).
    pub fn run_exit_hooks(&self) {
        let mut hooks = std::mem::take(&mut *self.exit_hooks.borrow_mut());
        hooks.sort_by_key(|&(order, _)| order);
        for (_, hook) in hooks {
            hook(self);
        }
    }

    /// An `int` object.
    pub fn int(&self, v: i64) -> Obj {
        if (-5..=256).contains(&v) {
            return self.small_ints[(v + 5) as usize].clone();
        }
        crate::object::alloc_ref(&self.types.int, IntData::Small(v))
    }

    /// The interned str object for `s` (`sys.intern`).
    pub fn intern(&self, s: &str) -> Obj {
        // A small cache first, hashed cheaply and checked by content (the
        // map hashes with SipHash: its keys may come from user data).
        let slot = {
            use std::hash::Hasher;
            let mut h = crate::hash::FastHasher::default();
            h.write(s.as_bytes());
            h.finish() as usize % INTERN_CACHE
        };
        if let Ok(c) = self.intern_cache.try_borrow() {
            if let Some(o) = &c[slot] {
                if o.downcast::<builtin::StrData>().is_some_and(|d| d.value.as_bytes() == s.as_bytes()) {
                    return o.clone();
                }
            }
        }
        let found = self.interned.borrow().get(s).cloned();
        let o = match found {
            Some(o) => o,
            None => {
                let o = builtin::new_str(self, s);
                o.make_immortal();
                self.interned.borrow_mut().insert(s.into(), o.clone());
                o
            }
        };
        // Interned strs are immortal: replacing an entry frees nothing.
        if let Ok(mut c) = self.intern_cache.try_borrow_mut() {
            c[slot] = Some(o.clone());
        }
        o
    }

    /// `sys.intern`: the interned str for `text`, which becomes `s` (an
    /// exact str of that value) when there is none yet.
    pub fn intern_obj(&self, text: &str, s: &Obj) -> Obj {
        if let Some(o) = self.interned.borrow().get(text) {
            return o.clone();
        }
        s.make_immortal();
        self.interned.borrow_mut().insert(text.into(), s.clone());
        s.clone()
    }

    /// Whether `o` is the interned str object for its value.
    pub fn is_interned(&self, o: &Obj) -> bool {
        let Some(s) = o.downcast::<builtin::StrData>() else { return false };
        let Some(text) = s.value.as_str() else { return false };
        self.interned.borrow().get(text).is_some_and(|i| i.is(o))
    }

    pub fn bool(&self, b: bool) -> Obj {
        if b {
            self.true_.clone()
        } else {
            self.false_.clone()
        }
    }

    /// Creates an exception of type `ty` with message `msg` (as `ty(msg)`).
    pub fn new_error(&self, ty: &Obj, msg: impl Into<String>) -> PyErr {
        let arg = builtin::new_str(self, &msg.into());
        PyErr { exc: builtin::new_exception(self, ty, vec![arg]) }
    }

    /// A built-in exception class by name.
    pub fn exception_type(&self, name: &str) -> Option<Obj> {
        self.types.exceptions.iter().find(|(n, _)| *n == name).map(|(_, t)| t.clone())
    }

    pub fn type_error(&self, msg: impl Into<String>) -> PyErr {
        self.new_error(&self.types.type_error, msg)
    }
}

impl Default for Vm {
    fn default() -> Vm {
        Vm::new()
    }
}
