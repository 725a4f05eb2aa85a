# coding: latin-1
s = 'é'; t = = 1
