x = f'{a}' f'{b}'
y = f'{a}' 'lit' f'{b!r}'
z = 'x' f''
