# Well-formedness errors: expat's codes, messages and positions.
import pyexpat
from xml.parsers import expat

DOCS = [
    b"", b"   ", b"<a>", b"<a><b", b"<a></b>", b"<a><b></a>", b"<a/><b/>", b"<a/>x",
    b"<a x='1' x='2'/>", b"<a x=1/>", b"<a>&foo;</a>", b"<a>&#0;</a>", b"<a>&#xD800;</a>",
    b"<a><!-- x -- y --></a>", b"<a><![CDATA[x", b"<a><!--x", b"<a><?xml version='1.0'?></a>",
    b"<a>\x01</a>", b"<a>\xff</a>", b"<a b='<'/>", b"<1a/>", b"<a>]]></a>", b"<a\n  b='1'\n  c='2' c='3'/>",
    b"<?xml version='1.0' encoding='utf-8'?>\n<root>\n  <x>\n</root>", b"<a>x", b"<a xmlns:p='u'><p:b/><q:c/></a>",
    b"<a>&amp</a>", b"<a>& </a>", b"<a></a >  <b/>", b"<!DOCTYPE a><a/>", b"<a/><!DOCTYPE a>",
    b"<?xml version='1.0' encoding='bogus-enc'?><a/>", b"<?xml version='1.0' standalone='maybe'?><a/>",
    b"<?xml encoding='utf-8'?><a/>", b"\n\n<a>\n<b>\xc3\xa9\xc3\xa9</c></a>",
]

for doc in DOCS:
    p = expat.ParserCreate()
    try:
        p.Parse(doc, True)
        print(doc, "ok")
    except expat.ExpatError as e:
        print(doc, e.code, e.lineno, e.offset, str(e), expat.ErrorString(e.code) == e.args[0].split(":")[0])
        print("  ", p.ErrorCode, p.ErrorLineNumber, p.ErrorColumnNumber, p.ErrorByteIndex, p.CurrentLineNumber)
        print("  ", expat.errors.messages[e.code] == expat.ErrorString(e.code), expat.errors.codes[expat.ErrorString(e.code)] == e.code)
    except LookupError as e:
        print(doc, type(e).__name__, e)

# the same documents fed one byte at a time
for doc in DOCS:
    p = expat.ParserCreate()
    try:
        for i in range(len(doc)):
            p.Parse(doc[i:i + 1], False)
        p.Parse(b"", True)
        print(doc, "ok")
    except expat.ExpatError as e:
        print(doc, e.code, e.lineno, e.offset)
    except LookupError as e:
        print(doc, type(e).__name__, e)

p = expat.ParserCreate()
p.Parse(b"<a/>", True)
try:
    p.Parse(b"<b/>", True)
except expat.ExpatError as e:
    print("after final:", e.code, e)
print(pyexpat.errors.XML_ERROR_TAG_MISMATCH, pyexpat.errors.XML_ERROR_SYNTAX)
print(expat.error is expat.ExpatError, expat.ExpatError.__module__)
