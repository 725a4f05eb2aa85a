lambda *a=1: a
