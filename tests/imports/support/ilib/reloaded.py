import sys
loads = getattr(sys, "_ilib_loads", 0) + 1
sys._ilib_loads = loads
value = "v%d" % loads
