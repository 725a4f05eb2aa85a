# xml.etree.ElementTree over pyexpat: parse, iterparse, XMLPullParser,
# tostring, errors.
import io
import xml.etree.ElementTree as ET

DOC = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE catalog [<!ENTITY pub "Publisher &amp; Co">]>
<catalog xmlns="urn:books" xmlns:x="urn:extra">
  <book id="bk101" x:rating="5">
    <author>Gambardella, Matthew</author>
    <title>XML Developer's Guide</title>
    <price>44.95</price>
    <publisher>&pub;</publisher>
    <x:note><![CDATA[<b>bold</b> & more]]></x:note>
  </book>
  <book id="bk102">
    <author>Ralls, Kim</author>
    <title>Midnight Rain \u00e9\u20ac</title>
    <!-- a comment -->
    <?process me?>
  </book>
</catalog>
"""

root = ET.fromstring(DOC)
print(root.tag, root.attrib, len(root))
ns = {"b": "urn:books", "x": "urn:extra"}
for book in root.findall("b:book", ns):
    print(book.get("id"), book.attrib, book.find("b:title", ns).text, book.findtext("b:price", default="-", namespaces=ns))
print(root.find(".//b:publisher", ns).text)
print(repr(root.find(".//x:note", ns).text))
print(ET.tostring(root, encoding="unicode"))
print(ET.tostring(root[1], encoding="utf-8"))

tree = ET.parse(io.BytesIO(DOC.encode("utf-8")))
print(tree.getroot().tag, [e.tag for e in tree.iter()][:5])
print(tree.getroot()[0][1].text)

print("iterparse")
for event, item in ET.iterparse(io.BytesIO(DOC.encode("utf-8")), events=("start", "end", "start-ns", "end-ns", "comment", "pi")):
    if event in ("start", "end"):
        print(event, item.tag, (item.text or "").strip())
    elif event in ("start-ns", "end-ns"):
        print(event, item)
    else:
        print(event, item.text)

print("XMLPullParser in chunks")
parser = ET.XMLPullParser(events=("start", "end"))
data = DOC.encode("utf-8")
for i in range(0, len(data), 7):
    parser.feed(data[i:i + 7])
    for event, elem in parser.read_events():
        print(event, elem.tag)
parser.close()

print("XMLParser with a target")
class Target:
    def __init__(self):
        self.log = []
    def start(self, tag, attrib):
        self.log.append(("start", tag, attrib))
    def end(self, tag):
        self.log.append(("end", tag))
    def data(self, data):
        self.log.append(("data", data))
    def comment(self, text):
        self.log.append(("comment", text))
    def pi(self, target, data):
        self.log.append(("pi", target, data))
    def close(self):
        return self.log
p = ET.XMLParser(target=Target())
p.feed("<r a='1'>text<!--c--><?t d?><s/>tail</r>")
for entry in p.close():
    print(entry)

print("tree building and serialisation")
e = ET.Element("root", {"k": "v & <w>"})
s = ET.SubElement(e, "child")
s.text = "x < y"
s.tail = "\n"
ET.SubElement(e, "empty")
text = ET.tostring(e)
print(text)
again = ET.fromstring(text)
print(again.attrib, again[0].text, ET.tostring(again) == text)
print(ET.tostring(ET.fromstring("<a><b>1</b><b>2</b></a>"), method="text"))
ET.indent(again)
print(ET.tostring(again, encoding="unicode"))
print(ET.canonicalize("<r b='2' a='1'><c/></r>"))

print("errors")
for bad in ["<a><b></a>", "<a>", "", "<a>&nope;</a>", "<a/><b/>", "<a x='1' x='2'/>", "<a>\x01</a>"]:
    try:
        ET.fromstring(bad)
    except ET.ParseError as err:
        print(repr(bad), err.code, err.position, err)
