x = 'abc\
