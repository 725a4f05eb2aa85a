# The frames of the import machinery are removed from the traceback of a
# failed import (CPython's remove_importlib_frames); the module's own
# frames stay.
import sys
sys.path.append("support")

try:
    import ilib.failing
except ValueError as e:
    tb = e.__traceback__
    names = []
    while tb is not None:
        names.append((tb.tb_frame.f_code.co_name, tb.tb_frame.f_code.co_filename.startswith("<frozen")))
        tb = tb.tb_next
    print(names)

try:
    import ilib.missing_module
except ImportError as e:
    tb = e.__traceback__
    n = 0
    while tb is not None:
        n += 1
        tb = tb.tb_next
    print(type(e).__name__, n)

import ilib.failing
