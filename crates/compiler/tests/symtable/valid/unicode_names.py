été = 1
def f():
    return été
