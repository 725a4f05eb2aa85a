if x:
    # comment
