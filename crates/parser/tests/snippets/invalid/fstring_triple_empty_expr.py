x = f'''
line
{}
'''
