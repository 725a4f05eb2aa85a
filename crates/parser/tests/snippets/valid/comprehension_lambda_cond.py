[x for x in (1 if a else 2)]
[lambda: x for x in y]
