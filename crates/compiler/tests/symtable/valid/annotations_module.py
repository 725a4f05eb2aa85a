x: int
y: List[int] = []
(z): int = 3
a.b: int
c[0]: str = 'v'
