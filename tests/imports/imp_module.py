import _imp

print(_imp.is_builtin('sys'), _imp.is_builtin('builtins'), _imp.is_builtin('marshal'), _imp.is_builtin('no_such_mod'))
print(_imp.check_hash_based_pycs)
print(_imp.source_hash(3495 | (ord('\r') << 16) | (ord('\n') << 24), b'abc'))
print(_imp.source_hash(key=1, source=b''), _imp.source_hash(-1, bytearray(b'xyz')))
for args in [(1, 'x'), ('a', b'')]:
    try:
        print(_imp.source_hash(*args))
    except TypeError as e:
        print('TypeError', e)
print(_imp.lock_held())
try:
    _imp.release_lock()
except RuntimeError as e:
    print('RuntimeError', e)
print(_imp.acquire_lock(), _imp.lock_held(), _imp.acquire_lock(), _imp.release_lock(), _imp.lock_held(),
      _imp.release_lock(), _imp.lock_held())
print(_imp.find_frozen('no_such_mod'))

class Spec:
    name = 'no_such_mod'
print(_imp.create_builtin(Spec()))
Spec.name = 'marshal'
m = _imp.create_builtin(Spec())
print(type(m).__name__, m.__name__, _imp.exec_builtin(m), m.loads(m.dumps([1, 'a'])))
