a = [1, [2, 3], "x", None, 1.5]
print(a, repr(a), str(a))
r = [1]
r.append(r)
print(r)
print([1, 2] == [1, 2], [1, 2] != [1, 3], [1, 2] < [1, 2, 0], [2] > [1, 9], [] < [0])
print(len([]), bool([]), list.__name__, type([]) is list)
b = a
b += [7]
print(a is b, a[-1])
print([x for x in [3, 1, 2] if x > 1], [1, 2, 3].__len__(), [1, 2].__getitem__(1))
nested = [[0] * 2 for _ in range(2)]
nested[0][0] = 1
print(nested)
