f'{(lambda x: x*2)(3)}'
