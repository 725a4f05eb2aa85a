class AppError(Exception):
    """Base."""
class NotFound(AppError):
    def __init__(self, what):
        super().__init__(f"{what} not found")
        self.what = what
class Weird(Exception):
    def __str__(self):
        return "weird str"
    def __repr__(self):
        return "Weird()"
try:
    raise NotFound("page")
except AppError as e:
    print(type(e).__name__, e, e.what, e.args, isinstance(e, Exception))
try:
    raise Weird(1, 2)
except Weird as w:
    print(str(w), repr(w), w.args)
class NoArgsInit(Exception):
    def __init__(self):
        pass
print(repr(NoArgsInit()), NoArgsInit().args)
e = Exception(1, "two")
print(e.args, str(e))
e.args = ("changed",)
print(str(e))
