def f():
    return [[(last := j) for j in i] for i in range(3)]
