if a:
    x = 1
# comment at col 0
    y = 2
        # weird indent comment
    z = 3
