def f():
    def g():
        return undefined_name
