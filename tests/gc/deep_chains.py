# Freeing long chains must not overflow the native stack (the trashcan).
class Node:
    def __init__(self, nxt):
        self.next = nxt

head = None
for i in range(100000):
    head = Node(head)
print("built a linked list of 100,000 instances")
del head
print("freed it")

nested = None
for i in range(300000):
    nested = [nested]
del nested
print("freed a chain of 300,000 nested lists")

t = ()
for i in range(50000):
    t = (t, i)
del t
print("freed 50,000 nested tuples")

d = {}
for i in range(50000):
    d = {"inner": d}
del d
print("freed 50,000 nested dicts")

class Counted:
    count = 0
    def __init__(self, nxt):
        self.next = nxt
    def __del__(self):
        Counted.count += 1

h = None
for i in range(50000):
    h = Counted(h)
del h
print("finalizers run:", Counted.count)

# A long chain that is also a cycle goes through the collector.
import gc
gc.disable()
first = Node(None)
last = first
for i in range(20000):
    last = Node(last)
first.next = last
del first, last
print("collected:", gc.collect())
gc.enable()
