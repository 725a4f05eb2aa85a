if (n := 10) > 5:
    pass
[y := 1 for x in z]
