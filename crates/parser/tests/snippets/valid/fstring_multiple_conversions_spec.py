f'{x!r:{w}}{y!s}{z!a:>3}'
