x = (
    a
    if b
)
