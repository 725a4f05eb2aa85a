g = (x for x in range(10))
sum(y for y in z)
