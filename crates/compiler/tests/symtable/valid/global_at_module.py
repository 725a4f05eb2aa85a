global m
m = 1
