print
print(1)
exec = 1
