a = 1
b = 2

# comment
while True:
break
