f'{x!r x}'
