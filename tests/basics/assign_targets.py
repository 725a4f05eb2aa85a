a = b = c = []
a.append(1)
print(a, b, c, a is c)
x, y = 1, 2
x, y = y, x
print(x, y)
lst = [0, 0, 0, 0, 0]
lst[1:3] = [7, 8, 9]
print(lst)
lst[::2] = "abc"
print(lst)
del lst[0], lst[-1]
print(lst)
d = {}
d["k"], d["j"] = 1, 2
print(d)
class O: pass
o = O()
o.a, o.b = "ab"
print(o.a, o.b)
i = 0
lst = [10, 20]
i, lst[i] = 1, 99
print(i, lst)
