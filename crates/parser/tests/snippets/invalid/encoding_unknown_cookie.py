# coding: nonexistent-codec
x = 1
