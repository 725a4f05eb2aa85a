s = "hello World ß ǅ"
print(s.upper(), s.lower(), s.title(), s.capitalize(), s.swapcase(), s.casefold())
print("ABC".isupper(), "abc".islower(), "Title Case".istitle(), "  ".isspace(), "".isspace())
print("abc123".isalnum(), "abc".isalpha(), "123".isdigit(), "½".isnumeric(), "²".isdecimal(), "²".isdigit())
print("x_1".isidentifier(), "1x".isidentifier(), "abc".isascii(), "é".isascii(), "\t".isprintable())
print("they're bill's".title(), "ﬁ".upper(), "İ".lower(), len("İ".lower()))
