# escape_decode (bytes-literal escapes) and unicode_escape_decode:
# values, error handling and the DeprecationWarning for invalid escapes.
import codecs
import warnings


def run(f, data, *args):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = f(data, *args)
        except Exception as e:
            r = "%s: %s" % (type(e).__name__, e)
    print(repr(data), args, repr(r), [(x.category.__name__, str(x.message)) for x in w])


for data in [br"[\7]", br"[\78]", br"[\418]", br"[\1010]", br"[\x410]", b"a\\\nb", br"\'\"\a\b\f\n\r\t\v\\",
             br"\z\q", br"\8", br"\777", br"\400x", br"\u0041", br"\N{DIGIT ONE}", b"\\\xfa", b"end\\"]:
    run(codecs.escape_decode, data)
    run(codecs.unicode_escape_decode, data)
for data in [br"\x", br"[\x]", br"[\x]\x", br"[\x0]\x0"]:
    for errors in ["strict", "ignore", "replace", "bogus"]:
        run(codecs.escape_decode, data, errors)
run(codecs.raw_unicode_escape_decode, br"\z\777")
print(codecs.escape_encode(b"a\\'\t\n\r\x00\xff"))
