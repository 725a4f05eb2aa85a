a = [1]
b = a
a += [2]
print(a, b, a is b)
t = (1,)
u = t
t += (2,)
print(t, u)
s = "ab"
s *= 3
print(s)
class Acc:
    def __init__(self): self.v = 0
    def __iadd__(self, o):
        self.v += o
        return self
acc = Acc()
acc += 5
acc += 6
print(acc.v)
d = {"k": [1]}
d["k"] += [2]
print(d)
