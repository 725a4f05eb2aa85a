for i in range(3):
    print(i)
else:
    print('done')
for a, b in pairs: pass
for *a, b in x: pass
for x in *a, *b: pass
