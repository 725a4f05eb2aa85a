x = b'''
abc
ü'''
