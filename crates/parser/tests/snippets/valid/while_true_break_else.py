while True:
    if x: break
else:
    pass
