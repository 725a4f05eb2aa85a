f'héllo {naïve} €'
f'{"日本"}'
