# _statistics._normal_dist_inv_cdf, the C accelerator of NormalDist.inv_cdf:
# same floats as the pure-Python algorithm, CPython's argument errors.
import random
import statistics

import _statistics

random.seed(11)
points = [random.random() for _ in range(300)] + [1e-300, 1e-20, 0.02425, 0.5, 0.075, 0.925, 0.97575, 1 - 1e-16, 5e-324]
same = all(
    _statistics._normal_dist_inv_cdf(p, 1.5, 2.5) == statistics.NormalDist(1.5, 2.5).inv_cdf(p)
    for p in points
)
print("matches NormalDist.inv_cdf:", same)
for p in [1e-300, 0.02425, 0.5, 0.975, 1 - 1e-16]:
    print(p, repr(_statistics._normal_dist_inv_cdf(p, 0, 1)))
print(repr(_statistics._normal_dist_inv_cdf(float("nan"), 0, 1)))
print(repr(_statistics._normal_dist_inv_cdf(0.5, 0, float("inf"))))
print(repr(_statistics._normal_dist_inv_cdf(0.25, 3, 2)))


class Half:
    def __float__(self):
        return 0.5


class Idx:
    def __index__(self):
        return 2


print(_statistics._normal_dist_inv_cdf(Half(), Idx(), 1))
for args in [(0.0, 0, 1), (1.0, 0, 1), (0.5, 0, 0), (0.5, 0, -1), ("x", 0, 1), (0.5,), (0.5, 0, 1, 2)]:
    try:
        _statistics._normal_dist_inv_cdf(*args)
    except Exception as e:
        print(type(e).__name__, e)
try:
    _statistics._normal_dist_inv_cdf(p=0.5, mu=0, sigma=1)
except TypeError as e:
    print("TypeError", e)
print(statistics._normal_dist_inv_cdf.__module__)
