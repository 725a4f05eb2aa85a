"""Chaos game: an iterated function system drawn with vector objects.

Random affine maps (chosen by weight, driven by a fixed linear congruential
generator so the result is deterministic) are applied to a point; points
are rasterised into a grid. Object-heavy: small Vec instances with
operator overloading, a Map class per transform, bisect over weights.
"""

from bisect import bisect


class Rng:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.state >> 11) / 9007199254740992.0


class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def dot(self, other):
        return self.x * other.x + self.y * other.y


class Map:
    def __init__(self, a, b, c, d, e, f, weight):
        self.row1 = Vec(a, b)
        self.row2 = Vec(c, d)
        self.shift = Vec(e, f)
        self.weight = weight

    def __call__(self, p):
        return Vec(self.row1.dot(p), self.row2.dot(p)) + self.shift


class Game:
    def __init__(self, maps, width, height, seed):
        self.maps = maps
        total = sum(m.weight for m in maps)
        acc = 0.0
        self.cumulative = []
        for m in maps:
            acc += m.weight / total
            self.cumulative.append(acc)
        self.rng = Rng(seed)
        self.width = width
        self.height = height
        self.grid = [[0] * width for _ in range(height)]

    def pick(self):
        i = bisect(self.cumulative, self.rng.next())
        return self.maps[min(i, len(self.maps) - 1)]

    def run(self, iterations, box):
        x0, y0, x1, y1 = box
        sx = (self.width - 1) / (x1 - x0)
        sy = (self.height - 1) / (y1 - y0)
        p = Vec(0.0, 0.0)
        for i in range(iterations):
            p = self.pick()(p)
            if i > 20:
                col = int((p.x - x0) * sx)
                row = int((p.y - y0) * sy)
                if 0 <= col < self.width and 0 <= row < self.height:
                    self.grid[row][col] += 1

    def signature(self):
        filled = sum(1 for row in self.grid for v in row if v)
        digest = 0
        for r, row in enumerate(self.grid):
            for c, v in enumerate(row):
                if v:
                    digest = (digest * 131 + r * 7 + c * 3 + v) % 2147483647
        return filled, digest


fern = [
    Map(0.0, 0.0, 0.0, 0.16, 0.0, 0.0, 1),
    Map(0.85, 0.04, -0.04, 0.85, 0.0, 1.6, 85),
    Map(0.2, -0.26, 0.23, 0.22, 0.0, 1.6, 7),
    Map(-0.15, 0.28, 0.26, 0.24, 0.0, 0.44, 7),
]
triangle = [Map(0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 1), Map(0.5, 0.0, 0.0, 0.5, 0.5, 0.0, 1), Map(0.5, 0.0, 0.0, 0.5, 0.25, 0.5, 1)]
g1 = Game(fern, 120, 200, 42)
g1.run(600000, (-2.5, 0.0, 2.8, 10.0))
g2 = Game(triangle, 128, 128, 7)
g2.run(450000, (0.0, 0.0, 1.0, 1.0))
print(g1.signature(), g2.signature())
