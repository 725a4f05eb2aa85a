class Point:
    count = 0
    def __init__(self, x, y):
        self.x, self.y = x, y
        Point.count += 1
    def __repr__(self):
        return f"Point({self.x}, {self.y})"
    def norm2(self):
        return self.x ** 2 + self.y ** 2
p = Point(3, 4)
print(p, p.norm2(), Point.count, p.count, type(p).__name__, Point.__name__, Point.__qualname__)
p.z = 5
print(sorted(vars(p).items()), p.__dict__ is vars(p))
print(Point.norm2(p), p.norm2.__self__ is p, p.norm2.__func__ is Point.norm2)
print(isinstance(p, Point), isinstance(p, object), issubclass(Point, object), Point.__bases__, Point.__module__)
class Empty: pass
e = Empty()
print(repr(e).startswith("<__main__.Empty object at 0x"), str(e) == repr(e))
del p.z
try:
    p.z
except AttributeError as ex:
    print(ex)
