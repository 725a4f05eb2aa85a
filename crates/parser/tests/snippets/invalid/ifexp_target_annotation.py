a if b else c: int
