result = func(
    arg1,
    arg2,
    *args,
    key=value,
    **kwargs
)
