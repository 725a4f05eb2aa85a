class A:
    def who(self):
        return __class__.__name__
    def sup(self):
        return "A"
class B(A):
    def who(self):
        return __class__.__name__ + "<" + super().who()
    def sup(self):
        return "B>" + super().sup()
print(B().who(), B().sup())
print(A.who.__code__.co_freevars)
class C:
    def f(self):
        __class__
        return [__class__ for _ in range(1)]
print(C().f()[0] is C)
