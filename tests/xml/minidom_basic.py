# xml.dom.minidom over pyexpat: parseString, toxml, toprettyxml, DOM access.
from xml.dom import minidom
import xml.dom

doc = minidom.parseString(b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE doc [<!ENTITY e "expanded">]>
<doc xmlns:p="urn:p" version="2">
  <p:item p:id="1" plain="a&amp;b">First &e; item</p:item>
  <item id="2"><![CDATA[<cdata> & text]]></item>
  <!-- note -->
  <?pi target?>
  <empty/>
</doc>""")
root = doc.documentElement
print(root.tagName, root.getAttribute("version"), root.namespaceURI)
for node in root.childNodes:
    print(node.nodeType, repr(node.nodeName), repr(node.nodeValue))
item = root.getElementsByTagName("p:item")[0]
print(item.namespaceURI, item.localName, item.prefix, item.getAttributeNS("urn:p", "id"))
print(item.firstChild.data)
print([n.getAttribute("id") for n in root.getElementsByTagNameNS("*", "item")])
print(doc.doctype.name if doc.doctype else None)
print(doc.toxml())
print(root.toprettyxml(indent="  "))

new = minidom.Document()
el = new.createElement("made")
el.setAttribute("q", '"quoted" & <angled>')
el.appendChild(new.createTextNode("text & more"))
el.appendChild(new.createComment("c"))
new.appendChild(el)
out = new.toxml()
print(out)
print(minidom.parseString(out).documentElement.getAttribute("q"))

try:
    minidom.parseString("<a><b></a>")
except Exception as e:
    print(type(e).__name__, e)

d = minidom.parseString("<r>\u00e9\u20ac</r>")
print(d.documentElement.firstChild.data == "\u00e9\u20ac")
print(d.toxml(encoding="utf-8"))
