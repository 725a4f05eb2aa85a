i = 0
while i < 5:
    i += 1
    if i == 2:
        continue
    print(i)
else:
    print("else ran")
while True:
    i -= 1
    if i < 2:
        break
else:
    print("not printed")
print("i", i)
for x in range(3):
    pass
else:
    print("for else", x)
for x in range(10):
    if x == 3:
        break
else:
    print("not printed")
print("broke at", x)
