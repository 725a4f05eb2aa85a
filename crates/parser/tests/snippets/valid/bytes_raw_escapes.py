rb'\x00\n'
br'\''
