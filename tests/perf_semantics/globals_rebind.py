# Inline caches of LOAD_GLOBAL must notice rebinding and deleting globals
# and builtins after they warmed up.
x = 1


def read_x():
    return x


def read_len():
    return len("abc")


for _ in range(20):
    read_x()
    read_len()
print(read_x(), read_len())

x = 2
print(read_x())
globals()["x"] = 3
print(read_x())
del x
try:
    read_x()
except NameError as e:
    print(type(e).__name__, e)
x = 4
print(read_x())

import builtins

orig_len = builtins.len
builtins.len = lambda s: 42
print(read_len())
builtins.len = orig_len
print(read_len())


def len(s):
    return -1


print(read_len())
del len
print(read_len())

# Many new globals (the dict grows and its entries move).
for i in range(100):
    globals()["g%d" % i] = i
print(read_x(), read_len(), g99)


# The same code run with other globals.
src = "def f():\n    return y\n"
ns1 = {"y": "one"}
ns2 = {"y": "two"}
exec(src, ns1)
exec(src, ns2)
for _ in range(10):
    ns1["f"](), ns2["f"]()
print(ns1["f"](), ns2["f"]())
exec("g = f", ns2)
print(ns2["g"]())
