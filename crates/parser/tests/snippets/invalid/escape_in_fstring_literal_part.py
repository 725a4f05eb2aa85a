x = f'\x4{y}'
