s = '''a
b'''
t = 'x'
