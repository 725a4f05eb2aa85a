from ..inner import value as v2

__all__ = ["w", "tag"]
w = v2 + 1
tag = "sub"
hidden = "not exported"
