xs = [a * b for a in range(3) if a for b in ys]
