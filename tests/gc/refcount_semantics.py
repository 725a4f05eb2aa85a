import sys
class Tracked:
    def __del__(self): print("freed")
x = Tracked()
y = x
del x
print("one ref left")
del y
print("gone")
def make():
    return Tracked()
make()
print("temporary freed before this line")
t = (Tracked(),)
t = None
print("tuple released")
try:
    z = Tracked()
    raise ValueError
except ValueError:
    pass
del z
print("end")
class Holder:
    pass
h = Holder()
h.me = Tracked()
h.__dict__.clear()
print("dict cleared")
