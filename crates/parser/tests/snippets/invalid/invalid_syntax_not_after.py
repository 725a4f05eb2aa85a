x = a not
