if x and \
