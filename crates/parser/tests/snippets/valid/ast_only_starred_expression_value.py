x = *a
x += *a, 
def f():
    return *a
