if (a := 1):
    pass
elif (b := 2):
    pass
