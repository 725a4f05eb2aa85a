# modulefinder finds a program's imports by scanning its code objects
# (dis._find_imports / dis._find_store_names over the instructions).
import dis
import modulefinder
import os
import shutil
import sys
import tempfile

src = """
import os.path as p
from . import x
from .. y import z, w
from q import *
global g
def f():
    global h
    h = 1
    import e
class C:
    import json.decoder
"""
co = compile(src, "<src>", "exec")
print(list(dis._find_imports(co)))
print(list(dis._find_store_names(co)))
for c in co.co_consts:
    if isinstance(c, type(co)):
        print(c.co_name, list(dis._find_imports(c)), list(dis._find_store_names(c)))
print(type(co.co_code).__name__)

files = {
    "prog.py": "import pkg.sub\nfrom pkg import helper, missing_name\nimport nosuchmodule_xyz\nglobal_a = 1\n",
    "pkg/__init__.py": "from .sub import *\n",
    "pkg/sub.py": "import json\nfrom . import helper\ndef g():\n    import nosuch_inner_mod\nvalue = 2\n",
    "pkg/helper.py": "from .. import outside\n",
}
d = tempfile.mkdtemp()
try:
    for name, text in files.items():
        path = os.path.join(d, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    mf = modulefinder.ModuleFinder(path=[d] + sys.path, excludes=["json"])
    mf.run_script(os.path.join(d, "prog.py"))
    mods = sorted(k for k in mf.modules if k.startswith(("pkg", "__main__")))
    print(mods)
    print(sorted(mf.modules["__main__"].globalnames))
    print(sorted(mf.modules["pkg.sub"].globalnames))
    missing, maybe = mf.any_missing_maybe()
    print("missing", sorted(missing))
    print("maybe", sorted(maybe))
    print(sorted(mf.badmodules))
finally:
    shutil.rmtree(d)
