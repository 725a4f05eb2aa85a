try:
    pass
except E as e:
    x = e
else:
    y = 1
finally:
    z = 2
