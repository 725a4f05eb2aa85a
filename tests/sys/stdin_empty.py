import sys
print(repr(sys.stdin.read()))
try:
    input("prompt> ")
except EOFError as e:
    print("EOFError", repr(str(e)))
