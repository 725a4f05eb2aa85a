if x:
pass
