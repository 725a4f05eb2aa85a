with open(f) as fh:
    pass
with a, b as c, d() as (e, f):
    pass
