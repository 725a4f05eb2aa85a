x = '\d\q'
y = b'\d'
