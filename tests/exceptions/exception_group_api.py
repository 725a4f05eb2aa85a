eg = ExceptionGroup("many", [ValueError("v1"), TypeError("t"), ValueError("v2"), ExceptionGroup("inner", [KeyError("k")])])
print(eg, repr(eg.message), len(eg.exceptions))
print(str(ExceptionGroup("one", [ValueError()])))
print(type(BaseExceptionGroup("b", [ValueError()])).__name__, type(BaseExceptionGroup("b", [KeyboardInterrupt()])).__name__)
print(issubclass(ExceptionGroup, Exception), issubclass(BaseExceptionGroup, Exception), ExceptionGroup.__mro__)
m, r = eg.split(ValueError)
print(repr(m), repr(r))
m, r = eg.split((KeyError, TypeError))
print(repr(m), repr(r))
print(repr(eg.subgroup(lambda e: isinstance(e, KeyError))))
print(eg.subgroup(lambda e: True) is eg, eg.split(OSError))
print(repr(eg.derive([ValueError(9)])))
eg.add_note("group note")
m, r = eg.split(TypeError)
print(m.__notes__, r.__notes__)
for make in [lambda: ExceptionGroup("m"), lambda: ExceptionGroup(1, [ValueError()]), lambda: ExceptionGroup("m", None),
             lambda: ExceptionGroup("m", []), lambda: ExceptionGroup("m", [ValueError]), lambda: ExceptionGroup("m", [KeyboardInterrupt()])]:
    try:
        make()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    eg.split(1)
except TypeError as e:
    print(e)
try:
    eg.message = "x"
except AttributeError as e:
    print(e)
class MyGroup(ExceptionGroup):
    def derive(self, excs):
        return MyGroup(self.message + "!", excs)
g = MyGroup("mine", [ValueError(1), TypeError(2)])
print(repr(g.split(ValueError)))
try:
    MyGroup("x", [KeyboardInterrupt()])
except TypeError as e:
    print(e)
