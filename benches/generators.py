"""Generators: pipelines, yield from trees, send() coroutines, genexprs."""


def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def evens(src):
    for x in src:
        if x % 2 == 0:
            yield x


def squares(src):
    for x in src:
        yield x * x


def tree(depth):
    if depth:
        yield from tree(depth - 1)
        yield depth
        yield from tree(depth - 1)


def averager():
    total = 0.0
    count = 0
    avg = None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count


def run():
    pipeline = sum(squares(evens(numbers(400000))))
    walked = sum(tree(16))
    avg = averager()
    next(avg)
    last = None
    for v in numbers(200000):
        last = avg.send(v % 97)
    gx = sum(x for x in range(300000) if x & 3 == 1)
    return pipeline, walked, round(last, 6), gx


for _ in range(12):
    result = run()
print(result)
