class A:
    def __init__(self):
        self.log = ["A"]
    @classmethod
    def make(cls):
        return cls.__name__
    @staticmethod
    def st():
        return "static"
class B(A):
    def __init__(self):
        super().__init__()
        self.log.append("B")
    @classmethod
    def make(cls):
        return "B:" + super().make()
class C(B):
    def __init__(self):
        super(B, self).__init__()
        self.log.append("C")
print(B().log, C().log, C.make(), B.st(), super(C, C()).make())
s = super(B, B())
print(type(s).__name__, s.__thisclass__.__name__)
def outside(self):
    return super().make()
try:
    outside(B())
except RuntimeError as e:
    print(e)
class P:
    def __getattr__(self, name):
        return "P.getattr:" + name
class Q(P):
    def get(self):
        return super().anything
try:
    print(Q().get())
except AttributeError as e:
    print(e)
print(Q().other)
