x = 'a' 'b' "c"
y = ('multi'
     'line'
     'string')
z = b'a' b'b'
w = 'a' f'{b}' 'c'
