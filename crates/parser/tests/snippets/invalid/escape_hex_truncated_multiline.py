s = (
    'ok'
    '\xZZ'
)
