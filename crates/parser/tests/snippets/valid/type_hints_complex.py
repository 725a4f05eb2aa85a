x: dict[str, list[tuple[int, ...]]] = {}
y: 'Forward' = None
z: int | None = None
