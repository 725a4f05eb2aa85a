lambda x, (y): 0
