f = lambda a=(lambda: b): a
