l = list(range(100000))
print(len(l), l[-1], sum(l), l[::10000])
l.sort(reverse=True)
print(l[:3], l.index(0))
m = [x for x in l if x % 9999 == 0]
print(m)
a = [1, 2]
b = a * 3
b[0] = 99
print(a, b)
c = [[1]] * 2
c[0].append(2)
print(c, c[0] is c[1])
print([] == [], [] is not [], list(reversed(l[:3])))
