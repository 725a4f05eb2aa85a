def top():
    a = 1
    import os
    return a
