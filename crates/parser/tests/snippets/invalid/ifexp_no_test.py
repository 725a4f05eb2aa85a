x = 5 if else 6
