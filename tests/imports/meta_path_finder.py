# Custom finders on sys.meta_path and loaders built on importlib.abc,
# path hooks, spec_from_file_location + module_from_spec + exec_module.
import sys, os
import importlib.util, importlib.machinery

class Loader:
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        module.made_by = "Loader"
        module.name_seen = module.__name__
        if module.__name__ == "virt.boom":
            raise KeyError("boom in exec_module")

class Finder:
    seen = []
    def find_spec(self, name, path, target=None):
        if name == "virt" or name.startswith("virt."):
            self.seen.append((name, path is None))
            return importlib.util.spec_from_loader(name, Loader(), is_package=(name == "virt"))
        return None

finder = Finder()
sys.meta_path.insert(0, finder)
import virt
import virt.child
from virt import other
print(virt.made_by, virt.name_seen, virt.child.name_seen, other.__name__)
print(Finder.seen)
print(virt.__spec__.loader.__class__.__name__, virt.__path__, virt.__package__, virt.child.__package__)
try:
    import virt.boom
except KeyError as e:
    print(type(e).__name__, e, "virt.boom" in sys.modules)
sys.meta_path.remove(finder)
del sys.modules["virt"]
try:
    import virt
except ImportError as e:
    print(type(e).__name__, e)

# A finder that returns None for everything leaves the default machinery.
class Nothing:
    calls = 0
    @classmethod
    def find_spec(cls, name, path, target=None):
        cls.calls += 1
        return None
sys.meta_path.insert(0, Nothing)
import colorsys
print(Nothing.calls >= 1, colorsys.__name__)
sys.meta_path.remove(Nothing)

# A module from a file anywhere.
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "support", "ilib", "plain.py")
spec = importlib.util.spec_from_file_location("anywhere", path)
print(spec.name, type(spec.loader).__name__, spec.origin == path)
mod = importlib.util.module_from_spec(spec)
print(mod.__name__, hasattr(mod, "X"), mod.__spec__ is spec, mod.__file__ == path)
spec.loader.exec_module(mod)
print(mod.X, mod.where(), "anywhere" in sys.modules)

# A path hook that claims one fake path entry.
class HookFinder:
    def __init__(self, entry):
        self.entry = entry
    def find_spec(self, name, target=None):
        if name == "hooked_mod":
            return importlib.util.spec_from_loader(name, Loader())
        return None
    def invalidate_caches(self):
        pass

def hook(entry):
    if entry == "<hooked>":
        return HookFinder(entry)
    raise ImportError("not mine")

sys.path_hooks.insert(0, hook)
sys.path.append("<hooked>")
import hooked_mod
print(hooked_mod.made_by, type(sys.path_importer_cache["<hooked>"]).__name__)

# None in sys.modules stops an import.
sys.modules["blocked"] = None
try:
    import blocked
except ImportError as e:
    print(type(e).__name__, e, e.name)

# A module may replace itself in sys.modules.
print(type(importlib.import_module("types")).__name__)
