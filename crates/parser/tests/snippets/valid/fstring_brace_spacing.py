f'{ x }'
f'{x }'
f'{	x	}'
f'{ x = }'
