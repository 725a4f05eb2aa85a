from os import a, b,
