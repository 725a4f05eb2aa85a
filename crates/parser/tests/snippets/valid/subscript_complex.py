a[b][c](d)[e:f]
x[1:2, 3]
x[lambda: 1]
x[a if b else c]
