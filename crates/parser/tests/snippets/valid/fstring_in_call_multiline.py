print(
    f'value: {value!r:>10}',
    f"{a}" f"{b}",
)
