import math, os.path
from collections import deque as dq
from json import dumps, loads
import importlib
print(math.sqrt(16), os.path.join("a", "b"), dq([1, 2], maxlen=2), dumps({"a": [1, 2.5, None, True]}), loads("[1, {\"b\": null}]"))
print(importlib.import_module("string").ascii_lowercase, __import__("sys").version_info[0])
try:
    import does_not_exist_module
except ModuleNotFoundError as e:
    print(type(e).__name__, e, e.name)
try:
    from math import nope
except ImportError as e:
    print(e)
import sys
print("math" in sys.modules, type(math).__name__, math.__name__)
