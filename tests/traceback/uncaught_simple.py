print("before")
def inner(x):
    return x["missing"]
def outer():
    return inner({})
outer()
print("never")
