a = b = c = 42
