s = "abc"
try:
    s[5]
except IndexError as e:
    print(e)
try:
    s[0] = "x"
except TypeError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
try:
    "abc".center(5, "ab")
except TypeError as e:
    print(e)
try:
    ord("ab")
except TypeError as e:
    print(e)
try:
    chr(0x110000)
except ValueError as e:
    print(e)
try:
    "x".split("")
except ValueError as e:
    print(e)
print(s[1:100], s[-100:1], s[::-2], s[10:], "".join(reversed(s)))
