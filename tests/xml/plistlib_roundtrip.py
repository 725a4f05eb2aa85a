# plistlib (XML format) round trips over pyexpat.
import datetime
import plistlib

value = {
    "string": "hello & <world> \u00e9",
    "int": 42,
    "negative": -7,
    "big": 2 ** 40,
    "float": 3.25,
    "bools": [True, False],
    "data": b"\x00\x01binary\xff",
    "date": datetime.datetime(2024, 5, 6, 7, 8, 9),
    "nested": {"list": [1, "two", {"three": 3.0}], "empty": {}},
    "empty list": [],
}
data = plistlib.dumps(value)
print(data.decode("utf-8"))
back = plistlib.loads(data)
print(back == value)
print(sorted(back))
print(plistlib.loads(plistlib.dumps([1, 2, 3], sort_keys=False)))
print(plistlib.loads(b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict><key>a</key><string>b</string><key>n</key><integer>5</integer></dict></plist>"""))
try:
    plistlib.loads(b"<plist><dict><key>a</key></plist>")
except Exception as e:
    print(type(e).__name__, e)
