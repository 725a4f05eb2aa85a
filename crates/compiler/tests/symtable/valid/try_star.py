try:
    pass
except* E as eg:
    pass
