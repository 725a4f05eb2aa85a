# Cyclic garbage held by an ordinary (non-__main__) module is collected at
# exit, its finalizers running (CPython removes the modules from
# sys.modules and collects).
import os
import shutil
import sys
import tempfile

d = tempfile.mkdtemp()
with open(os.path.join(d, "gcexit_helper.py"), "w") as f:
    f.write(
        "class C:\n"
        "    def __del__(self):\n"
        "        print('__del__ called, module global:', NAME)\n"
        "NAME = 'intact'\n"
        "l = [C()]\n"
        "l.append(l)\n"
    )
sys.path.insert(0, d)
sys.dont_write_bytecode = True
import gcexit_helper
sys.path.remove(d)
shutil.rmtree(d)
print("imported", gcexit_helper.NAME)
