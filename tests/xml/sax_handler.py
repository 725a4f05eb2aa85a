# xml.sax with a ContentHandler over pyexpat (needs xml.sax.expatreader).
import io
import xml.sax
from xml.sax.handler import ContentHandler, feature_namespaces


class Handler(ContentHandler):
    def __init__(self):
        super().__init__()
        self.log = []

    def startDocument(self):
        self.log.append("startDocument")

    def endDocument(self):
        self.log.append("endDocument")

    def startElement(self, name, attrs):
        self.log.append(("start", name, sorted(attrs.items())))

    def endElement(self, name):
        self.log.append(("end", name))

    def startElementNS(self, name, qname, attrs):
        self.log.append(("startNS", name, qname, sorted(attrs.items())))

    def endElementNS(self, name, qname):
        self.log.append(("endNS", name, qname))

    def startPrefixMapping(self, prefix, uri):
        self.log.append(("prefix", prefix, uri))

    def characters(self, content):
        if self.log and self.log[-1][0] == "chars":
            self.log[-1] = ("chars", self.log[-1][1] + content)
        else:
            self.log.append(("chars", content))

    def processingInstruction(self, target, data):
        self.log.append(("pi", target, data))


DOC = b"<?xml version='1.0'?><r a='1'><s>hi &amp; bye</s><?t d?><x:n xmlns:x='urn:x' x:k='v'/></r>"
h = Handler()
xml.sax.parseString(DOC, h)
for entry in h.log:
    print(entry)

h = Handler()
parser = xml.sax.make_parser()
parser.setFeature(feature_namespaces, True)
parser.setContentHandler(h)
parser.parse(io.BytesIO(DOC))
for entry in h.log:
    print(entry)

h = Handler()
parser = xml.sax.make_parser()
parser.setContentHandler(h)
for i in range(0, len(DOC), 5):
    parser.feed(DOC[i:i + 5])
parser.close()
print(len(h.log))

try:
    xml.sax.parseString(b"<a><b></a>", ContentHandler())
except xml.sax.SAXParseException as e:
    print(type(e).__name__, e, e.getLineNumber(), e.getColumnNumber())
