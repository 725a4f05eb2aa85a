def f():
    """Docstring.

    More.
    """
    return None
