"""Spectral norm of an infinite matrix: float arithmetic in nested loops."""


def a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def mul_av(v):
    n = len(v)
    return [sum(a(i, j) * v[j] for j in range(n)) for i in range(n)]


def mul_atv(v):
    n = len(v)
    return [sum(a(j, i) * v[j] for j in range(n)) for i in range(n)]


def mul_atav(v):
    return mul_atv(mul_av(v))


def spectral_norm(n):
    u = [1.0] * n
    for _ in range(10):
        v = mul_atav(u)
        u = mul_atav(v)
    vbv = sum(ub * vb for ub, vb in zip(u, v))
    vv = sum(vb * vb for vb in v)
    return (vbv / vv) ** 0.5


print(f"{spectral_norm(420):.9f}")
