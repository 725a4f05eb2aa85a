# __file__ and __cached__ of source modules and packages, the cache
# settings in sys; each implementation names its cache files after its
# own sys.implementation.cache_tag.
import sys

sys.path.append("support")
import mod_a
import pkg

def show(m):
    parts = m.__cached__.split('/')
    print(m.__name__, m.__file__.startswith('/'), m.__cached__.startswith('/'), parts[-2], parts[-1].split('.')[0], parts[-1].split('.')[-1],
          m.__file__.split('/')[-1])

show(mod_a)
show(pkg)
print(type(sys.dont_write_bytecode).__name__, sys.pycache_prefix)
