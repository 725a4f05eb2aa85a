# `site` at start-up: imported unless -S, the builtins it adds, .pth
# files processed by addsitedir.
import sys, os
print("site" in sys.modules, sys.flags.no_site)
import site
print(type(exit).__name__, type(quit).__name__, type(help).__name__, type(copyright).__name__, type(credits).__name__)
print(repr(exit), str(quit))
print(site.ENABLE_USER_SITE in (True, False, None), isinstance(site.getsitepackages(), list))
print(os.path.isabs(site.getusersitepackages()), site.getuserbase() == site.USER_BASE)

here = os.path.dirname(os.path.abspath(__file__))
d = os.path.join(here, "support", "sitedir")
before = list(sys.path)
known = site.addsitedir(d)
added = [p[len(here):] for p in sys.path if p not in before]
print(added)
print(sys._pth_ran)
import pth_mod
print(pth_mod.FROM)
site.addsitedir(d)  # already known: .pth files run again, no duplicates
print(sys._pth_ran, len([p for p in sys.path if p.endswith("extra_dir")]))
print(site.makepath("a", "b")[0] == os.path.abspath(os.path.join("a", "b")))
print(sorted(site.removeduppaths()) == sorted({os.path.normcase(p) for p in sys.path if p}) or "different")
