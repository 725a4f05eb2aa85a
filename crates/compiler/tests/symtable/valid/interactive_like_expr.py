(yield_ := 3)
print(yield_)
