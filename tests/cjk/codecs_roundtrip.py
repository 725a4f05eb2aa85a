# CJK codecs: samples per codec, encode/decode round trips and error
# positions/reasons (the exhaustive comparison is tools/check_cjk_codecs.py).
import codecs

SAMPLES = {
    "shift_jis": "日本語のテキスト、ｶﾀｶﾅ abc",
    "cp932": "①②ⅰ～￢ 日本",
    "euc_jp": "日本語 ｶﾅ 丂",
    "shift_jis_2004": "か゚ 𠀋 日本",
    "shift_jisx0213": "か゚ 日本",
    "euc_jis_2004": "か゚ 𠀋 ㇷ゚",
    "euc_jisx0213": "か゚ 日本",
    "gb2312": "中文字符",
    "gbk": "中文 镕 ①",
    "gb18030": "中文 € \u0080 \uffff 😀 \U0010ffff",
    "hz": "ab~c 中文 d",
    "euc_kr": "한국어 똠방각하",
    "cp949": "한국어 똠",
    "johab": "한국어 가",
    "big5": "中文繁體",
    "cp950": "中文 €",
    "big5hkscs": "中文 Ê̄ ê 𠄌",
    "iso2022_jp": "日本語 abc ¥",
    "iso2022_jp_1": "日本 丂",
    "iso2022_jp_2": "日本 한국 中文",
    "iso2022_jp_2004": "か゚ 𠀋 日本",
    "iso2022_jp_3": "か゚ 日本",
    "iso2022_jp_ext": "日本 ｶﾅ",
    "iso2022_kr": "한국어 abc\n한",
}
for name, text in SAMPLES.items():
    b = text.encode(name)
    back = b.decode(name)
    print(name, b, back == text)

def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)
        if isinstance(e, UnicodeError):
            print("  ", e.start, e.end, e.reason)

show(lambda: "\u20ac".encode("shift_jis"))
show(lambda: "a\u20acb".encode("euc_kr"))
show(lambda: b"\x82".decode("shift_jis"))
show(lambda: b"a\x82\x20b".decode("shift_jis"))
show(lambda: b"\x80abc".decode("gbk"))
show(lambda: b"\x8f\xa2".decode("euc_jp"))
show(lambda: b"\x81\x30\x81".decode("gb18030"))
show(lambda: b"\x1b$B\x21".decode("iso2022_jp"))
show(lambda: b"\x1b$B\x7f\x7f".decode("iso2022_jp"))
show(lambda: b"\x1b(Zabc".decode("iso2022_jp"))
show(lambda: "\u4e00\u20ac".encode("iso2022_kr"))
for errors in ("ignore", "replace", "backslashreplace", "xmlcharrefreplace", "namereplace"):
    show(lambda: "a\u20ac\u4e00\U0001f600b".encode("gb2312", errors))
    show(lambda: "a\u20ac\u4e00b".encode("iso2022_jp", errors))
for errors in ("ignore", "replace", "backslashreplace", "surrogateescape"):
    show(lambda: b"a\x82\xff\x88\xa0b".decode("shift_jis", errors))
show(lambda: "a\udc82b".encode("shift_jis", "surrogateescape"))
show(lambda: codecs.lookup("big5").encode("x\u20ac", "nonexistent"))
# bytes()/bytearray()/str() with a registry codec
print(bytes("日本", "shift_jis"), bytearray("中文", "gbk", "strict"), str(b"\x82\xa0", "shift_jis"))
print(bytes("a\xe9\u20ac", "raw-unicode-escape"), bytes("\u20ac", "euc_jp", "xmlcharrefreplace"))
show(lambda: bytes("\u20ac", "euc_jp"))
