def f():
    """Doc
    more
