x = u'a' 'b'
y = 'a' u'b'
