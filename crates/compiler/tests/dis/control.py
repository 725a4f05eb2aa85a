for i in range(3):
    if i == 1:
        continue
    while i:
        i -= 1
        break
try:
    pass
except ValueError as e:
    print(e)
