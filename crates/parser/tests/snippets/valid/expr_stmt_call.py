print('hello', sep='', end='\n')
