s = {a for a in it}
