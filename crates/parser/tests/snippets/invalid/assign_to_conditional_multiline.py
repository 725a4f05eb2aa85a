x = (
    a if b else c
) = 3
