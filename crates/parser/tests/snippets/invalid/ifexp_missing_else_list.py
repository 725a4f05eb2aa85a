[a if b, c]
