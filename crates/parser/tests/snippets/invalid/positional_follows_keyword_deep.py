def f():
    return g(
        h(a=1,
          b),
    )
