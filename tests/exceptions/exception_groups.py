eg = ExceptionGroup("many", [ValueError("v1"), TypeError("t"), ValueError("v2"), ExceptionGroup("inner", [KeyError("k")])])
print(repr(eg), str(eg), len(eg.exceptions), eg.message)
match, rest = eg.split(ValueError)
print(repr(match), repr(rest))
print(repr(eg.subgroup(lambda e: isinstance(e, KeyError))))
print(repr(eg.subgroup(OSError)))
try:
    ExceptionGroup("x", [])
except ValueError as e:
    print(e)
try:
    ExceptionGroup("x", [KeyboardInterrupt()])
except TypeError as e:
    print(e)
b = BaseExceptionGroup("b", [KeyboardInterrupt()])
print(type(b).__name__, type(BaseExceptionGroup("c", [ValueError()])).__name__)
class MyEG(ExceptionGroup):
    def derive(self, excs):
        return MyEG(self.message + "!", excs)
m, r = MyEG("mine", [ValueError(), TypeError()]).split(TypeError)
print(repr(m), repr(r))
