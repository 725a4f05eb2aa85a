[(a.b := x) for x in y]
