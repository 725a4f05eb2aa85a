class Noisy:
    def __init__(self, name): self.name = name
    def __del__(self): print("del", self.name)
a = Noisy("a")
print("before del a")
del a
print("after del a")
b = Noisy("b")
b = Noisy("b2")
print("rebound")
def f():
    local = Noisy("local")
    print("leaving f")
f()
print("after f")
lst = [Noisy("x"), Noisy("y")]
lst.pop()
print("popped")
lst.clear()
print("cleared")
d = {"k": Noisy("dict value")}
d["k"] = None
print("end of module")
