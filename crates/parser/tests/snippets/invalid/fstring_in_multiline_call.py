print(
    'ok',
    f'{value!x}',
)
