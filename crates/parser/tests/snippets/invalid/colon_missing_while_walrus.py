while (n := f())
    pass
