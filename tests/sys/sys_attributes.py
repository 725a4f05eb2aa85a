import sys
print(sys.version_info[:2], sys.version_info.major, sys.implementation.name in ("cpython", "taipan"))
print(sys.argv[0].endswith("sys_attributes.py"), len(sys.argv), sys.maxsize, sys.byteorder in ("little", "big"))
print(sys.getrecursionlimit(), sys.flags.optimize, sys.hash_info.width, sys.float_info.max, sys.float_info.epsilon, sys.int_info.bits_per_digit in (15, 30, 60, 64))
print(type(sys.modules).__name__, "sys" in sys.modules, "builtins" in sys.builtin_module_names, sys.stdout.write("w\n"))
print(__name__, sys.modules["__main__"].__name__, sys.flags.hash_randomization)
