with open(p) as f, g() as (a, b):
    pass
