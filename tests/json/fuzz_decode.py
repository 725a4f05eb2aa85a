# Seeded mutations of JSON documents through json.loads: every result or
# error (message and position) must be CPython's.
import json
import random

rng = random.Random(1234)
seeds = ['{"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "d\\n\\u00e9\\ud83d\\ude00"}}',
         '[" é ", {"k\\"": [[], {}]}, -0.0, 1E+2, "\\\\"]', '"plain"', '123', '[NaN, Infinity, -Infinity]']
alphabet = '{}[],:"\\ \n\t0123456789.eE+-truefalsnNI\u00e9\x01u'
for i in range(600):
    doc = list(rng.choice(seeds))
    for _ in range(rng.randrange(1, 4)):
        op = rng.randrange(3)
        pos = rng.randrange(len(doc) + 1)
        if op == 0 and doc:
            del doc[min(pos, len(doc) - 1)]
        elif op == 1:
            doc.insert(pos, rng.choice(alphabet))
        elif doc:
            doc[min(pos, len(doc) - 1)] = rng.choice(alphabet)
    text = ''.join(doc)
    try:
        r = json.loads(text)
        print(i, 'ok', repr(r)[:60])
    except json.JSONDecodeError as e:
        print(i, 'err', e.msg, e.pos)
    except Exception as e:
        print(i, type(e).__name__, e)
