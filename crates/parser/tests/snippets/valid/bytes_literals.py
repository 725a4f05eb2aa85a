b''
b'abc\x00\xff'
b"\n"
b'''multi
line'''
rb'\n'
