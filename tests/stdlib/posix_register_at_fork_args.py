# os.register_at_fork's argument checks (an explicit None is not
# callable) and the RTLD_* constants.
import os

for kw in (dict(before=None), dict(after_in_child=None), dict(before=None, after_in_parent=lambda: 3),
           dict(before=2), dict(after_in_parent=b"x"), {}):
    try:
        os.register_at_fork(**kw)
    except TypeError as e:
        print("TypeError", e)
try:
    os.register_at_fork(lambda: None)
except TypeError as e:
    print("TypeError", e)
print(os.register_at_fork(before=lambda: None))
print(sorted((k, getattr(os, k)) for k in dir(os) if k.startswith("RTLD_")))
