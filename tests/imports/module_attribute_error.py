# AttributeError messages of modules: named by __name__, nameless, and the
# circular-import wording while the module is still initialising.
import sys
import types

m = types.ModuleType('zz')
for mod in (m, sys):
    try:
        mod.missing
    except AttributeError as e:
        print(type(e).__name__, e)

m.__name__ = 'renamed'
try:
    m.missing
except AttributeError as e:
    print(e)

del m.__name__
try:
    m.missing
except AttributeError as e:
    print(e)

m.__name__ = 42
try:
    m.missing
except AttributeError as e:
    print(e)


class Spec:
    _initializing = True


m2 = types.ModuleType('half')
m2.__spec__ = Spec()
try:
    m2.missing
except AttributeError as e:
    print(e)
Spec._initializing = False
try:
    m2.missing
except AttributeError as e:
    print(e)
