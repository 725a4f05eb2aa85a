f'{class}'
