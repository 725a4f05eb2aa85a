import gc

def show(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

print(gc.isenabled(), gc.get_threshold())
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())
old = gc.get_threshold()
gc.set_threshold(500, 5)
print(gc.get_threshold())
gc.set_threshold(old[0], old[1], old[2])
print(gc.get_threshold())
c = gc.get_count()
print(type(c).__name__, len(c), [type(x).__name__ for x in c])
show(lambda: gc.collect(5))
show(lambda: gc.collect(-1))
show(lambda: gc.set_threshold())
show(lambda: gc.is_tracked())
print(gc.collect(0) >= 0, gc.collect(generation=1) >= 0, gc.collect() >= 0)

class T:
    pass
t = T()
print(gc.is_tracked(t), gc.is_tracked(1), gc.is_tracked([]), gc.is_tracked("s"), gc.is_tracked(T))
print(gc.is_tracked(1.5), gc.is_tracked(None))
lst = [t]
print(t in gc.get_referents(lst), lst in gc.get_referrers(t))
print(gc.get_referents(1, "x"))
print(gc.garbage, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)

# gc.callbacks see each collection's start and stop
events = []
def cb(phase, info):
    events.append((phase, info["generation"], info["collected"]))
gc.callbacks.append(cb)
gc.disable()
l = []
l.append(l)
del l
gc.collect()
gc.callbacks.remove(cb) if hasattr(gc.callbacks, "remove") else gc.callbacks.pop()
print(events)

# the counts the collector reports
class A:
    pass
a, b = A(), A()
a.other, b.other = b, a
del a, b
print("two instances:", gc.collect())
f = lambda: None
f.me = f
del f
print("function and its __dict__:", gc.collect())
a = A()
a.me = a
a.__dict__
del a
print("instance with materialised __dict__:", gc.collect())
print("nothing left:", gc.collect())
gc.enable()

# a loop that makes many cycles runs in bounded memory: automatic
# collections free them as it goes
class Node:
    pass
for i in range(100000):
    n = Node()
    n.self = n
print("automatic collections ran:", gc.get_count()[0] < 1000)
