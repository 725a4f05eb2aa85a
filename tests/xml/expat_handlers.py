# pyexpat handlers: called in order, with expat's arguments and positions;
# chunked input, text buffering, attributes, namespaces, DTD declarations.
import io
import pyexpat
from xml.parsers import expat

HANDLERS = ['StartElementHandler', 'EndElementHandler', 'StartNamespaceDeclHandler',
            'EndNamespaceDeclHandler', 'CharacterDataHandler', 'ProcessingInstructionHandler',
            'CommentHandler', 'XmlDeclHandler', 'StartDoctypeDeclHandler', 'EndDoctypeDeclHandler',
            'EntityDeclHandler', 'SkippedEntityHandler', 'StartCdataSectionHandler',
            'EndCdataSectionHandler', 'NotationDeclHandler', 'ElementDeclHandler',
            'AttlistDeclHandler', 'UnparsedEntityDeclHandler', 'ExternalEntityRefHandler']


def make(*args, default=None, positions=True, **kw):
    p = expat.ParserCreate(*args, **kw)
    log = []
    for h in HANDLERS:
        def f(*a, h=h):
            if positions:
                log.append((h[:-7], a, p.CurrentLineNumber, p.CurrentColumnNumber, p.CurrentByteIndex))
            else:
                log.append((h[:-7], a))
            if h == 'ExternalEntityRefHandler':
                return 1
        setattr(p, h, f)
    if default:
        setattr(p, default, lambda d: log.append(('Default', d)))
    return p, log


def show(log):
    for entry in log:
        print(' ', entry)


DOC = b"""<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE root [
  <!ENTITY ent "entity &#x41; text">
  <!ENTITY ext SYSTEM "ext.xml">
  <!ELEMENT root (item|other)*>
  <!ATTLIST item id ID #REQUIRED kind (a|b) "a" note CDATA #IMPLIED>
  <!NOTATION gif SYSTEM "image/gif">
]>
<root>
  <item id="i1" note="x\ty">caf\xc3\xa9 &amp; &lt;tag&gt; &#169; &ent;</item>
  <!-- a comment -->
  <?target some data?>
  <other><![CDATA[<raw> & stuff]]></other>
  &ext;
</root>
"""

print("whole document")
p, log = make()
p.Parse(DOC, True)
show(log)

print("one byte at a time")
p, log2 = make(positions=False)
for i in range(len(DOC)):
    p.Parse(DOC[i:i + 1])
p.Parse(b"", True)
whole = [e[:2] for e in log]
# character data may be split differently; compare everything else
print([e for e in whole if e[0] != 'CharacterData'] == [e for e in log2 if e[0] != 'CharacterData'])
print(''.join(e[1][0] for e in whole if e[0] == 'CharacterData') == ''.join(e[1][0] for e in log2 if e[0] == 'CharacterData'))

print("buffer_text")
p, log = make(positions=False)
p.buffer_text = True
print(p.buffer_text, p.buffer_size, p.buffer_used)
p.Parse(b"<r>line1\nline2&amp;line3<!--c-->more\r\ntext<![CDATA[cd\nata]]>end</r>", True)
show(log)
p, log = make(positions=False)
p.buffer_text = True
p.buffer_size = 4
p.Parse(b"<r>abcdefgh ij</r>", True)
show(log)

print("ordered and specified attributes")
for ordered in (False, True):
    for specified in (False, True):
        p, log = make(positions=False)
        p.ordered_attributes = ordered
        p.specified_attributes = specified
        p.Parse(b"<!DOCTYPE r [<!ATTLIST r d CDATA 'dflt' t NMTOKENS '  x  y '>]><r a='1' b='2'/>", True)
        print(ordered, specified, [e for e in log if e[0] == 'StartElement'])

print("attribute normalisation")
p, log = make(positions=False)
p.Parse(b"<!DOCTYPE r [<!ENTITY e 'E&#62;&#38;#38;'>]><r a=' x\t\n y &#10;&#x9; ' b='&e;&quot;&apos;' c=\"1\r\n2\"/>", True)
show(log)

print("namespaces")
for prefixes in (False, True):
    p, log = make(namespace_separator='}', positions=False)
    p.namespace_prefixes = prefixes
    p.Parse(b"<r xmlns='urn:d' xmlns:p='urn:p' p:a='1' b='2'><p:c xmlns:q='urn:q' q:x='y'/><e xmlns=''/><xml:s xml:lang='en'/></r>", True)
    show(log)
p, log = make(namespace_separator=' ', positions=False)
p.Parse(b"<a:r xmlns:a='A'/>", True)
show(log)
for doc in (b"<p:r/>", b"<r p:a='1'/>", b"<r xmlns:p=''/>", b"<r xmlns:a='A' xmlns:b='A' a:x='1' b:x='2'/>"):
    p = expat.ParserCreate(namespace_separator='!')
    try:
        p.Parse(doc, True)
        print(doc, 'ok')
    except expat.ExpatError as e:
        print(doc, e.code, e)

print("intern")
p = expat.ParserCreate()
p.StartElementHandler = lambda n, a: None
p.Parse(b"<r a='1'><s a='2'/><s/></r>", True)
print(sorted(p.intern))
p = expat.ParserCreate(intern=None)
print(p.intern)
d = {}
p = expat.ParserCreate(intern=d)
p.Parse(b"<x/>", True)
print(d)

print("encodings")
texts = ["<r>caf\xe9 \u20ac</r>"]
for enc, data in [
    ("utf-8", "<?xml version='1.0'?><r>caf\xe9 \u20ac</r>".encode("utf-8")),
    ("utf-8-sig", "<r>caf\xe9 \u20ac</r>".encode("utf-8-sig")),
    ("utf-16", "<?xml version='1.0' encoding='utf-16'?><r>caf\xe9 \u20ac</r>".encode("utf-16")),
    ("utf-16-be-bom", "\ufeff<r>caf\xe9 \u20ac</r>".encode("utf-16-be")),
    ("latin-1", "<?xml version='1.0' encoding='iso-8859-1'?><r>caf\xe9</r>".encode("latin-1")),
    ("latin1 decl", "<?xml version='1.0' encoding='latin1'?><r>caf\xe9</r>".encode("latin-1")),
    ("cp1252", "<?xml version='1.0' encoding='cp1252'?><r>caf\xe9 \u20ac</r>".encode("cp1252")),
    ("iso-8859-15", "<?xml version='1.0' encoding='iso-8859-15'?><r>\u20ac</r>".encode("iso-8859-15")),
    ("ascii", b"<?xml version='1.0' encoding='us-ascii'?><r>plain</r>"),
    ("ascii bad", b"<?xml version='1.0' encoding='us-ascii'?><r>caf\xe9</r>"),
]:
    for chunk in (1000, 1, 3):
        p, log = make(positions=False)
        try:
            for i in range(0, len(data), chunk):
                p.Parse(data[i:i + chunk])
            p.Parse(b"", True)
            print(enc, chunk, ''.join(e[1][0] for e in log if e[0] == 'CharacterData'), p.CurrentByteIndex)
        except expat.ExpatError as e:
            print(enc, chunk, 'error', e)
p, log = make("iso-8859-1", positions=False)
p.Parse(b"<r>\xe9</r>", True)
print(log)
p, log = make(positions=False)
p.Parse("<?xml version='1.0' encoding='latin-1'?><r>\u20ac str input</r>", True)
print(log)

print("line endings")
p, log = make()
p.Parse(b"<r>\r\na\rb\n<!--x\r\ny--><?p a\r\nb?>\r\n</r>", True)
show(log)

print("ParseFile")
p, log = make(positions=False)
print(p.ParseFile(io.BytesIO(DOC)))
print(len(log))
p, log = make(positions=False)
try:
    p.ParseFile(io.StringIO("<r>str file</r>"))
except TypeError as e:
    print(type(e).__name__, e)
try:
    p = expat.ParserCreate()
    p.ParseFile(io.BytesIO(b"<r>"))
except expat.ExpatError as e:
    print(e)

print("handler exceptions stop parsing")
p = expat.ParserCreate()
def boom(name, attrs):
    if name == 'b':
        raise ValueError("boom in " + name)
p.StartElementHandler = boom
try:
    p.Parse(b"<a><b/></a>", True)
except ValueError as e:
    print(type(e).__name__, e)

print("default handlers")
p, log = make(default='DefaultHandler', positions=False)
p.Parse(b"<!DOCTYPE r [<!ENTITY e 'x'>]><r>&e;&amp;</r>\n", True)
show([e for e in log if e[0] in ('Default', 'SkippedEntity', 'CharacterData')])
p, log = make(default='DefaultHandlerExpand', positions=False)
p.Parse(b"<!DOCTYPE r [<!ENTITY e 'x'>]><r>&e;</r>", True)
show([e for e in log if e[0] in ('CharacterData', 'SkippedEntity')])
p = expat.ParserCreate()
out = []
p.DefaultHandler = out.append
p.Parse(b"<r a='1'>t<!--c--><?p q?></r>", True)
print(out)

print("attributes and module")
p = expat.ParserCreate()
print(p.StartElementHandler, p.ErrorCode, p.ErrorLineNumber, p.ErrorColumnNumber, p.CurrentByteIndex)
for bad in (0, 'x'):
    try:
        p.buffer_size = bad
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
for args in [dict(namespace_separator='ab'), dict(intern=1), dict(encoding=1)]:
    try:
        expat.ParserCreate(**args)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    p.Parse(5)
except TypeError as e:
    print(type(e).__name__, e)
try:
    p.foo = 1
except AttributeError as e:
    print(type(e).__name__, e)
print(p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE), p.GetBase())
p.SetBase("base/")
print(p.GetBase())
print(expat.EXPAT_VERSION, expat.version_info, expat.native_encoding)
print(type(expat.features), expat.ErrorString(7), expat.ErrorString(3))
print(expat.model.XML_CTYPE_SEQ, expat.model.XML_CQUANT_PLUS, expat.errors.XML_ERROR_NO_ELEMENTS)
print(expat.errors.codes['mismatched tag'], expat.errors.messages[9])
from pyexpat import errors, model
print(errors is expat.errors, model is pyexpat.model)
import xml.parsers.expat.errors as e2
print(e2.XML_ERROR_SYNTAX)
print(type(p).__name__, type(p) is expat.XMLParserType)

print("external entity parser")
p = expat.ParserCreate()
events = []
p.StartElementHandler = lambda n, a: events.append(('start', n))
p.CharacterDataHandler = lambda d: events.append(('data', d))
def ext(context, base, sysid, pubid):
    events.append(('ext', context, base, sysid, pubid))
    sub = p.ExternalEntityParserCreate(context)
    sub.Parse(b"<?xml version='1.0' encoding='utf-8'?>inner <x>&int;</x> text", True)
    return 1
p.ExternalEntityRefHandler = ext
p.SetBase("http://example/")
p.Parse(b"<!DOCTYPE r [<!ENTITY int 'I'><!ENTITY e SYSTEM 'e.xml'>]><r>&e;</r>", True)
print(events)
p = expat.ParserCreate()
p.ExternalEntityRefHandler = lambda *a: 0
try:
    p.Parse(b"<!DOCTYPE r [<!ENTITY e SYSTEM 'e.xml'>]><r>&e;</r>", True)
except expat.ExpatError as e:
    print(e.code, e)
