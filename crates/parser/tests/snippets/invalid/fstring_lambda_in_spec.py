f'{x:{lambda: 1}}'
