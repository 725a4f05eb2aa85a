'''one
two
three'''
"""a "quoted" word"""
x = '''
'''
