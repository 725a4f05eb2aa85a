def gens():
    return [(lambda i=i: (yield i))() for i in range(3)]
print([next(g) for g in gens()])
def outer():
    x = 0
    def gen():
        nonlocal x
        while x < 3:
            x += 1
            yield x
    return gen, lambda: x
gen, get = outer()
g = gen()
print(next(g), get(), next(g), get(), list(g), get())
def with_default(n, acc=[]):
    for i in range(n):
        acc.append(i)
        yield len(acc)
print(list(with_default(2)), list(with_default(2)))
