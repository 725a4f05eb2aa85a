import sys
print()
print(1, 2, 3)
print(1, 2, 3, sep="-")
print("a", "b", sep="", end="!\n")
print("no newline", end="")
print()
print("to stderr", file=sys.stderr)
print(*[1, 2, 3], sep=", ")
print(None, True, 1.0, [1, "a"], {"k": (1,)}, sep=" | ")
print("x", end=None, sep=None)
print("flushed", flush=True)
class W:
    def __init__(self): self.parts = []
    def write(self, s): self.parts.append(s)
w = W()
print("to", "object", file=w)
print(w.parts)
