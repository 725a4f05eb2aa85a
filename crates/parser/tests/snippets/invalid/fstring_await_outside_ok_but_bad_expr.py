f'{x;y}'
