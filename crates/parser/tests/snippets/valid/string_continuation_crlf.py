x = 'ab\
cd'
