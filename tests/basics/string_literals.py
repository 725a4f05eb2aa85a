print('single', "double", """triple
quoted""", r"raw\n", b"bytes")
print("tab\there", "nl\\n", "\x41\u00e9\N{GREEK SMALL LETTER ALPHA}\U0001F600")
print("implicit" " concat" ' works')
print(len("\0\a\b\f\v"), ord("\177"))
print(repr("it's"), repr('say "hi"'), repr("both ' \""), repr("\n\t\x00\x7f\u200b"))
print(rb"\d+", br"\x00")
