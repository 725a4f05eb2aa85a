import gc

# get_debug / set_debug round trip
print(gc.get_debug())
gc.set_debug(gc.DEBUG_SAVEALL)
print(gc.get_debug() == gc.DEBUG_SAVEALL)
gc.set_debug(0)
for bad in ("x", 1.5):
    try:
        gc.set_debug(bad)
    except TypeError as e:
        print(type(e).__name__, e)

# DEBUG_SAVEALL: the garbage lands in gc.garbage instead of being freed
gc.collect()
print(gc.garbage)
L = []
L.append(L)
id_L = id(L)
gc.set_debug(gc.DEBUG_SAVEALL)
del L
gc.collect()
gc.set_debug(0)
print(len(gc.garbage), id(gc.garbage[0]) == id_L, gc.garbage[0][0] is gc.garbage[0])
gc.garbage.clear()
gc.collect()

# get_objects(generation=N): objects move to older generations as they
# survive collections
gc.collect()
l = []
l.append(l)
def where():
    return [any(l is o for o in gc.get_objects(generation=g)) for g in range(3)]
print(where())
gc.collect(generation=0)
print(where())
gc.collect(generation=1)
print(where())
gc.collect(generation=2)
print(where())
print(any(l is o for o in gc.get_objects()), any(l is o for o in gc.get_objects(None)), any(l is o for o in gc.get_objects(-1)))
for bad in (3, -2, "x"):
    try:
        gc.get_objects(generation=bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
del l
gc.collect()
