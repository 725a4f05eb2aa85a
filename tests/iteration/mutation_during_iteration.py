l = [1, 2, 3, 4]
for x in l:
    if x == 2:
        l.remove(x)
print(l)
s = {1, 2, 3}
try:
    for x in s:
        s.add(x + 10)
except RuntimeError as e:
    print(e)
d = {1: 1}
try:
    for k in d:
        del d[k]
        d[k + 1] = 1
except RuntimeError as e:
    print(e)
l2 = [0]
for x in l2:
    if len(l2) < 5:
        l2.append(x + 1)
print(l2)
