a[b:c:d]
f(*args, k=v, **kw)
