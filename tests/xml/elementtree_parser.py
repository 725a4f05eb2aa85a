# The native XMLParser and TreeBuilder (_elementtree): targets, events,
# comments and PIs, entities, doctype, errors with code and position.
import io
import xml.etree.ElementTree as ET


def show(f):
    try:
        r = f()
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("ok", r)


root = ET.fromstring('<?xml version="1.0"?><r xmlns:p="urn:p" p:a="1" b="2">'
                     '<p:s>text &amp; more</p:s><!-- c --><?pi data?>tail</r>')
print(root.tag, sorted(root.attrib.items()), [c.tag for c in root], root[0].text, repr(root[0].tail))
print(ET.tostring(root))

# a custom target
class Target:
    def __init__(self):
        self.log = []
    def start(self, tag, attrib):
        self.log.append(("start", tag, sorted(attrib.items())))
    def end(self, tag):
        self.log.append(("end", tag))
    def data(self, data):
        self.log.append(("data", data))
    def comment(self, text):
        self.log.append(("comment", text))
    def pi(self, target, data):
        self.log.append(("pi", target, data))
    def start_ns(self, prefix, uri):
        self.log.append(("start_ns", prefix, uri))
    def end_ns(self, prefix):
        self.log.append(("end_ns", prefix))
    def doctype(self, name, pubid, system):
        self.log.append(("doctype", name, pubid, system))
    def close(self):
        return "closed"

t = Target()
p = ET.XMLParser(target=t)
print(p.target is t, p.version, p.entity)
p.feed('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">')
p.feed(b'<a xmlns="urn:d" x="1"><b/>hi<!--c--><?t d?></a>')
print(p.close())
for entry in t.log:
    print(entry)

# TreeBuilder directly
tb = ET.TreeBuilder()
tb.start("root", {"a": "b"})
tb.data("one")
tb.data("two")
tb.start("kid", {})
tb.data("k")
print(tb.end("kid").tag)
tb.data("tail")
tb.comment("ignored")
r = tb.end("root")
print(r is tb.close(), ET.tostring(r))
show(lambda: tb.end("x"))
show(lambda: tb.start("second", {}))
show(lambda: ET.TreeBuilder().start("a", 1))
show(lambda: ET.TreeBuilder(1, 2))

tb = ET.TreeBuilder(insert_comments=True, insert_pis=True)
tb.start("r", {})
print(tb.comment("cmt").tag is ET.Comment, tb.pi("tg", "dt").tag is ET.PI)
tb.end("r")
print(ET.tostring(tb.close()))
tb = ET.TreeBuilder(comment_factory=lambda t: ("C", t), pi_factory=lambda a, b: ("P", a, b))
print(tb.comment("x"), tb.pi("a", "b"), tb.pi("only"))

def factory(tag, attrib):
    e = ET.Element(tag, attrib)
    e.set("made", "yes")
    return e

p = ET.XMLParser(target=ET.TreeBuilder(element_factory=factory))
p.feed("<a><b/></a>")
print(ET.tostring(p.close()))

# events (as iterparse and XMLPullParser use them)
pp = ET.XMLPullParser(events=("start", "end", "start-ns", "end-ns", "comment", "pi"))
pp.feed('<root xmlns="urn:x" xmlns:q="urn:q"><q:e>x</q:e><!--c--><?p i?></root>')
pp.close()
for ev, obj in pp.read_events():
    if ev in ("comment", "pi"):
        obj = obj.text
    elif isinstance(obj, ET.Element):
        obj = obj.tag
    print(ev, obj)
events = [(ev, el.tag) for ev, el in ET.iterparse(io.BytesIO(b"<a><b><c/></b><d/></a>"), ("start", "end"))]
print(events)
show(lambda: ET.XMLParser()._setevents([], ["bogus"]))
show(lambda: ET.XMLParser()._setevents([], [1]))
show(lambda: ET.XMLParser(target=object())._setevents([], ["start"]))

# entities
p = ET.XMLParser()
p.entity["ent"] = "replaced"
p.feed('<!DOCTYPE r SYSTEM "r.dtd"><r>a&ent;b</r>')
print(ET.tostring(p.close()))
show(lambda: ET.fromstring("<r>&undefined;</r>"))
p = ET.XMLParser()
show(lambda: p.feed('<!DOCTYPE r SYSTEM "r.dtd"><r>&nope;</r>'))
print(ET.fromstring('<!DOCTYPE r [<!ENTITY e "internal">]><r>&e;</r>').text)

# errors
for bad in ["<a>", "<a></b>", "", "<a/><b/>", "<a x='1' x='2'/>", "<a>\x00</a>", "text"]:
    try:
        ET.fromstring(bad)
    except ET.ParseError as e:
        print(repr(bad), type(e).__name__, e, e.code, e.position, isinstance(e, SyntaxError))
p = ET.XMLParser()
p.feed("<a/>")
p.close()
show(lambda: p.feed("<b/>"))
show(lambda: ET.XMLParser(1))
show(lambda: ET.XMLParser(encoding=1))
show(lambda: ET.XMLParser().feed(1))
un = ET.XMLParser.__new__(ET.XMLParser)
show(lambda: un.feed("<a/>"))
show(lambda: un.close())

# encodings and incremental feeding
print(ET.fromstring('<?xml version="1.0" encoding="iso-8859-1"?><a>\xe9</a>'.encode("latin-1")).text)
print(ET.XMLParser(encoding="latin-1").__class__.__name__)
p = ET.XMLParser(encoding="iso-8859-1")
p.feed(b"<a>\xe9</a>")
print(p.close().text)
p = ET.XMLParser()
for ch in '<root a="1">some <b>bold</b> text</root>':
    p.feed(ch)
r = p.close()
print(ET.tostring(r))
print(ET.parse(io.StringIO("<s>str input</s>")).getroot().text)
print(ET.parse(io.BytesIO(b"<s>bytes input</s>")).getroot().text)

# the factories hook
old = ET._set_factories(None, None)
print(old == (ET.Comment, ET.ProcessingInstruction))
tb = ET.TreeBuilder(insert_comments=True)
print(tb.comment("plain"))
print(ET._set_factories(*old))
show(lambda: ET._set_factories(1, None))
show(lambda: ET._set_factories(None, 1))
