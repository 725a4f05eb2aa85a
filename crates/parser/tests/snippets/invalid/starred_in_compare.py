*a < b
