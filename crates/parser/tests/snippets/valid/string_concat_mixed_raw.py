x = r'\n' '\n' if False else 'a' R'b'
