# zipimport: modules and packages from a zip archive on sys.path (stored
# entries), zipimporter objects, a subdirectory of the archive as a path
# entry.
import sys, os
here = os.path.dirname(os.path.abspath(__file__))
archive = os.path.join(here, "support", "zipped.zip")
sys.path.insert(0, archive)
sys.path.insert(0, os.path.join(archive, "sub", "dir"))

import zmod
print(zmod.WHERE, zmod.hello(), zmod.__file__ == os.path.join(archive, "zmod.py"))
print(type(zmod.__loader__).__name__, zmod.__spec__.name, zmod.__spec__.origin == zmod.__file__)
import zpkg
print(zpkg.NAME, zpkg.inner.VALUE, zpkg.__path__ == [os.path.join(archive, "zpkg")], zpkg.__package__)
import zdeep
print(zdeep.DEEP)
print(type(sys.path_importer_cache[archive]).__name__)

import zipimport
z = zipimport.zipimporter(archive)
print(z.archive == archive, repr(z.prefix))
print(z.is_package("zpkg"), z.is_package("zmod"))
print(z.get_data(os.path.join(archive, "zpkg", "data.txt")))
print(z.get_source("zmod").splitlines()[0])
print(z.get_filename("zpkg") == os.path.join(archive, "zpkg", "__init__.py"))
print(z.find_spec("zmod").name, z.find_spec("nothere"))
code = z.get_code("zmod")
print(type(code).__name__, code.co_filename == os.path.join(archive, "zmod.py"))
try:
    z.get_data("nothere.txt")
except OSError as e:
    print(type(e).__name__)
try:
    zipimport.zipimporter(os.path.join(here, "support", "mod_a.py"))
except zipimport.ZipImportError as e:
    print(type(e).__name__, str(e).replace(here, "HERE"))
try:
    import zmissing
except ImportError as e:
    print(type(e).__name__, e)
