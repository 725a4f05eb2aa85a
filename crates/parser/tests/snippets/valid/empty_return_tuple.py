def f():
    return ()
