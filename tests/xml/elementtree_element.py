# The native Element (_elementtree): construction, sequence protocol,
# attributes, find*, iteration, copies, pickling state, error messages.
import copy
import pickle
import xml.etree.ElementTree as ET


def show(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("ok", r)


print(ET.Element is not ET._Element_Py, ET.Element.__module__, ET.Element.__name__)
e = ET.Element("root", {"a": "1"}, b="2")
print(e.tag, sorted(e.attrib.items()), e.text, e.tail, len(e), bool(e))
e2 = ET.Element("x", attrib={"k": "v"}, z="w")
print(sorted(e2.items()), e2.keys() and sorted(e2.keys()))
s1 = ET.SubElement(e, "c1", {"p": "q"})
s2 = ET.SubElement(e, "c2", attrib={"r": "s"}, t="u")
s3 = ET.SubElement(e, "c1")
print([c.tag for c in e], len(e), bool(e), e[0] is s1, e[-1] is s3)
print([c.tag for c in e[::2]], [c.tag for c in e[::-1]], e[5:], e[1:2][0].tag)

# getters and setters
s1.text = "hello"
s1.tail = "after"
print(s1.text, s1.tail, s1.get("p"), s1.get("zz"), s1.get("zz", "dflt"))
s1.set("new", "val")
print(sorted(s1.attrib.items()))
s1.attrib = {"only": "this"}
print(s1.attrib)
show(lambda: setattr(s1, "attrib", 5))
show(lambda: delattr(s1, "text"))
show(lambda: delattr(s1, "tag"))
s1.tag = "renamed"
print(s1.tag, [c.tag for c in e])

# find / findall / findtext / iterfind
print(e.find("c2") is s2, e.find("nothing"), e.findtext("renamed"), e.findtext("c2"), e.findtext("zz", "D"))
print([c.tag for c in e.findall("c1")], [c.tag for c in e.findall("./*")], [c.tag for c in e.iterfind("*")])
print(e.find(".//c2") is s2, [x.tag for x in e.findall("{*}c1")])

# mutation
e.insert(0, ET.Element("first"))
e.insert(-1, ET.Element("beforelast"))
e.insert(100, ET.Element("last"))
print([c.tag for c in e])
e.remove(s2)
print([c.tag for c in e])
show(lambda: e.remove(s2))
del e[0]
del e[::2]
print([c.tag for c in e])
e[0] = ET.Element("replaced")
e[1:1] = [ET.Element("i1"), ET.Element("i2")]
print([c.tag for c in e])
e[::2] = [ET.Element("even%d" % i) for i in range(len(e[::2]))]
print([c.tag for c in e])
show(lambda: e.__setitem__(slice(None, None, 2), []))
show(lambda: e.__setitem__(0, "notelement"))
show(lambda: e.__setitem__(slice(0, 1), [1]))
show(lambda: e.__setitem__(slice(0, 1), 5))
show(lambda: e[100])
show(lambda: e["x"])
show(lambda: e.__setitem__(100, ET.Element("a")))
show(lambda: e.append("x"))
show(lambda: e.insert(0, 1))
show(lambda: e.remove(1))
show(lambda: e.extend([ET.Element("ok"), 1]))
show(lambda: e.extend(5))
show(lambda: e.makeelement("a", 1))
show(lambda: ET.Element("a", 1))
show(lambda: ET.Element("a", attrib=1))
show(lambda: ET.Element())
show(lambda: ET.SubElement(1, "a"))
show(lambda: ET.SubElement(e, "a", 1))
m = e.makeelement("made", {"x": "y"})
print(type(m).__name__, m.tag, m.attrib, len(e))
e.extend([ET.Element("ex1"), ET.Element("ex2")])
print([c.tag for c in e])

# iteration
root = ET.XML("<a>t1<b>t2<c>t3</c>t4</b>t5<c/>t6</a>")
print([x.tag for x in root.iter()], [x.tag for x in root.iter("c")], [x.tag for x in root.iter("*")])
print(list(root.itertext()), "".join(root.itertext()))
it = root.iter()
print(type(it).__name__, iter(it) is it, next(it).tag)
print([x.tag for x in root], list(reversed([x.tag for x in root])))

# clear
root.clear()
print(root.tag, root.text, root.tail, len(root), root.attrib)

# copies
src = ET.XML('<r a="1"><s>x</s><t/></r>')
src.tail = "T"
c = copy.copy(src)
print(type(c).__name__, c.tag, c.attrib, c.attrib is src.attrib, c[0] is src[0], c.tail)
d = copy.deepcopy(src)
print(ET.tostring(d), d[0] is src[0], d.attrib is src.attrib, d.attrib == src.attrib)
memo = {}
d2 = src.__deepcopy__(memo)
print(id(src) in memo, memo[id(src)] is d2)
show(lambda: src.__deepcopy__(1))

# pickling state
st = src.__getstate__()
print(sorted(st), st["tag"], st["attrib"], st["text"], st["tail"], len(st["_children"]))
n = ET.Element.__new__(ET.Element)
print(n.tag)
n.__setstate__(st)
print(ET.tostring(n))
show(lambda: n.__setstate__(1))
show(lambda: n.__setstate__({}))
show(lambda: n.__setstate__({"tag": "a", "_children": 3}))
show(lambda: n.__setstate__({"tag": "a", "_children": [1]}))
p = pickle.loads(pickle.dumps(src))
print(type(p).__name__, ET.tostring(p))

# subclassing
class My(ET.Element):
    def __init__(self, tag, extra="E"):
        super().__init__(tag)
        self.extra = extra

m = My("sub")
m.append(ET.Element("kid"))
print(type(m).__name__, m.tag, m.extra, len(m), isinstance(m, ET.Element))
print(ET.tostring(m))
ET.SubElement(m, "kid2")
print([c.tag for c in m])
import weakref
w = weakref.ref(src)
print(w() is src)
