# dir() of a module lists its namespace (or calls its own __dir__).
import sys
import types
m = types.ModuleType('m')
m.x = 1
print(dir(m))
m.__dir__ = lambda: ['b', 'a']
print(dir(m))
class M(types.ModuleType):
    def __dir__(self):
        return ['z']
print(dir(M('q')))
print('path' in dir(sys), '__class__' in dir(sys))
import os
print('__class__' in dir(os), 'getcwd' in dir(os))
print(m.__dir__())
