'''doc'''
from __future__ import annotations, division
v: V = w
