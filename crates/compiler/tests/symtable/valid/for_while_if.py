for i in r:
    if i: break
    else: continue
else:
    pass
while cond:
    k = 1
