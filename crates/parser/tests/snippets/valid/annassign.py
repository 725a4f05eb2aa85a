x: int
y: list[int] = []
self.z: str = 'a'
d['k']: int = 3
(w): float = 1.0
