f"{d['key']}"
f'{d["key"]}'
f'''{f"{x}"}'''
f"""{'a' + "b"}"""
f'{"nested"!r}'
