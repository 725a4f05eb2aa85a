# Unicode case mapping (full mappings, special casing, final sigma) and
# character classification, as Unicode 14.0 defines them.
print("straße".upper(), "ß".casefold(), "ß".lower(), "ß".title(), "ß".capitalize(), "ß".swapcase())
print("İstanbul".lower(), len("İ".lower()), "ŉ".upper(), "ﬁx".upper(), "ﬁx".title(), "ﬃ".capitalize())
print("ΟΔΟΣ".lower(), "ΟΔΟΣ ΟΔΟΣ.".lower(), "Σ".lower(), "ΑΣ'Α".lower(), "ΑΣ'".lower(), "A\u0301Σ".lower(), "Σa".lower())
print("ΟΔΟΣ".swapcase(), "οδος".upper(), "ǆemal".title(), "ǅ".lower(), "ǅ".upper(), "ǆ".capitalize())
print("hello world".title(), "they're bill's".title(), "hELLO wORLD".swapcase(), "hello WORLD".capitalize(), "1st 2nd".title(), "ǆx ǆy".title())
print("Ⅷ".lower(), "ⓐ".upper(), "ꭰ".upper(), "Ꭰ".lower(), "Ꭰ".casefold(), "µ".upper(), "µ".casefold(), "ς".upper(), "ς".casefold())
print("𐐀".lower(), "𐐨".upper(), "ᾳ".upper(), "ᾳ".title(), "ᾼ".lower(), "ΐ".upper())
for w in ["abc", "ABC", "Abc", "aBC", "123", "a1", "A1", "ǅ", "ǅa", "Ǆa", "ʰ", "ª", "", " ", "Hello World", "Hello world", "HELLO World", "ᾼ", "ß"]:
    print(repr(w), w.islower(), w.isupper(), w.istitle())
for w in ["123", "١٢٣", "²", "½", "Ⅻ", "一", "abc", "ab1", "", "a b", "\u0660", "𝟘", "①", "⁴", "3.5", "ⅷ", "۳", "𐄇", "〇"]:
    print(repr(w), w.isdecimal(), w.isdigit(), w.isnumeric(), w.isalpha(), w.isalnum())
for w in [" ", "\t\n\r\x0b\x0c", "\x1c\x1d\x1e\x1f", "\x85\xa0", "\u2000\u200a\u2028\u3000", "\u200b", "a ", "", "\u180e", "\ufeff"]:
    print(repr(w), w.isspace())
for w in ["abc", "ab c", "\n", "é", "\u200b", "\xa0", "\U0001f600", "\ud800", "", "\x7f", "\u0378", "\u00ad"]:
    print(repr(w), w.isprintable(), w.isascii())
for w in ["abc", "_x1", "1x", "", "é", "x-y", "ℕ", "℘", "a·", "·a", "𝔘", "a\u200c", "None", "ǅ"]:
    print(repr(w), w.isidentifier())
print("éÉ".upper(), "ÀÉÎ".lower(), "ǰ".upper(), "ǰ".title(), "ɐ".upper(), "ꞵ".upper(), "ɪ".upper(), "ᲀ".upper(), "ẞ".lower(), "ẞ".casefold())
print(ascii("\ud800abc".upper()), len("\ud800x".lower()), "a\udc80".swapcase() == "A\udc80")
print("ÅNGSTRÖM".casefold() == "ångström".casefold(), "Straße".casefold() == "STRASSE".casefold())
