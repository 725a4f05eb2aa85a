# warnings show where a ResourceWarning's source was allocated
# ("Object allocated at") when tracemalloc traces, and a hint otherwise.
import sys
import tracemalloc
import warnings

sys.stderr = sys.stdout
warnings.simplefilter("always")


def make():
    return object()


src = make()
warnings.warn("before tracing", ResourceWarning, source=src)

tracemalloc.start(2)
src = make()
warnings.warn("traced", ResourceWarning, source=src)
warnings.warn_explicit("explicit", ResourceWarning, "nofile.py", 3, source=src)
warnings.warn("untraced object", ResourceWarning, source=1)
tracemalloc.stop()
