if x:
    pass
else:
    pass
finally:
    pass
