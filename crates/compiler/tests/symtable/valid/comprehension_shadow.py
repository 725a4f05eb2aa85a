x = 1
y = [x for x in range(x)]
