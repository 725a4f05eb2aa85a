class C:
    [[(y := x) for x in z] for z in w]
