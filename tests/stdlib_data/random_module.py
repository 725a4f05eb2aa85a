# random.py over _random: the documented functions give CPython's values.
import random

random.seed(42)
print([random.random() for _ in range(5)])
print(random.randrange(1000), random.randrange(10, 100, 7), random.randint(1, 6), random.choice('abcdef'))
l = list(range(20))
random.shuffle(l)
print(l)
print(random.sample(range(100), 5), random.sample(['a', 'b', 'c', 'd'], k=2, counts=[1, 2, 3, 4]))
print(random.gauss(0, 1), random.normalvariate(5, 2), random.uniform(1, 3), random.triangular())
print(random.choices('abc', k=5), random.choices('abc', weights=[1, 0, 5], k=4))
print(random.expovariate(2), random.betavariate(2, 3), random.gammavariate(2, 1), random.vonmisesvariate(1, 2))
print(random.getrandbits(100), random.randbytes(5))
for seed in ['hello', b'bytes', bytearray(b'ba'), 3.5, -7]:
    random.seed(seed)
    print(repr(seed), random.random())
random.seed('hello', version=1)
print(random.random())
g = random.Random(99)
s = g.getstate()
x = [g.random() for _ in range(3)]
g.setstate(s)
print(x == [g.random() for _ in range(3)], s[0])
print(len(random.SystemRandom().randbytes(4)))
