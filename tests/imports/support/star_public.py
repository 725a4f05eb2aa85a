a = 1
_private = 2
b = 3
