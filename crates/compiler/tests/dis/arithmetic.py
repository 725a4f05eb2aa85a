x = 1
y = x * 2 + 3
y -= 1
print(x < y, x == y)
