x = '''ab
c'''