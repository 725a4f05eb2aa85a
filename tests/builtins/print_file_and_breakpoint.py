class Sink:
    def __init__(self):
        self.parts = []
    def write(self, s):
        self.parts.append(s)
    def flush(self):
        self.parts.append("<flush>")
s = Sink()
print("a", 1, None, sep="-", end="!", file=s)
print(file=s, flush=True)
print(s.parts)
print("x", "y", sep=None, end=None)
print("direct", file=None)
try:
    print("z", file=1)
except AttributeError as e:
    print(e)
try:
    print("z", sep=1)
except TypeError as e:
    print(e)
try:
    print("z", x=1)
except TypeError as e:
    print(e)
try:
    input()
except EOFError as e:
    print("EOFError", e)
