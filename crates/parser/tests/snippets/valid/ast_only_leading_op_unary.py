+ x
