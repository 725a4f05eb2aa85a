m = [[i + j for j in row] for i, row in rows]
