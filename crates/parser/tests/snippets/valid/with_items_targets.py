with a as x.y, b as z[0], c as (p, q), d as [r, *s]:
    pass
