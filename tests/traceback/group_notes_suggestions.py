def f():
    valeu = 1
    return vaelu
try:
    f()
except NameError as e:
    print(e)
class C:
    def __init__(self):
        self.alpha = 1
try:
    C().alpah
except AttributeError as e:
    print(e, e.name)
e = ValueError("boom")
e.add_note("note one")
e.add_note("two\nlines")
eg = ExceptionGroup("outer", [TypeError("t"), ExceptionGroup("inner", [e, KeyError("k")])])
raise eg
