print(f"{x!r=}")
