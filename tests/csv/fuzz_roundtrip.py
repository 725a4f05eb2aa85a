# Seeded random input through csv.reader and random rows through csv.writer
# under random dialects: rows, errors and output must be CPython's.
import csv
import io
import random

rng = random.Random(99)
alphabet = 'ab ,;"\'\\\r\n\t|é'
for i in range(400):
    kw = {}
    if rng.random() < 0.5:
        kw['delimiter'] = rng.choice(',;|\t')
    if rng.random() < 0.3:
        kw['quotechar'] = rng.choice(['"', "'", None])
    if rng.random() < 0.3:
        kw['escapechar'] = rng.choice(['\\', None])
    if rng.random() < 0.3:
        kw['doublequote'] = rng.random() < 0.5
    if rng.random() < 0.3:
        kw['skipinitialspace'] = True
    if rng.random() < 0.3:
        kw['strict'] = True
    if rng.random() < 0.4:
        kw['quoting'] = rng.choice([0, 1, 2, 3])
    if rng.random() < 0.2:
        kw['lineterminator'] = rng.choice(['\n', '\r\n', '|'])
    text = ''.join(rng.choice(alphabet) for _ in range(rng.randrange(0, 25)))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=''), **kw))
        print(i, 'read', rows)
    except (csv.Error, TypeError, ValueError) as e:
        print(i, 'read', type(e).__name__, e)
    row = [''.join(rng.choice(alphabet) for _ in range(rng.randrange(0, 5))) for _ in range(rng.randrange(0, 4))]
    if rng.random() < 0.2:
        row.append(rng.choice([None, 1, 2.5]))
    out = io.StringIO()
    try:
        n = csv.writer(out, **kw).writerow(row)
        print(i, 'write', n, repr(out.getvalue()))
    except (csv.Error, TypeError, ValueError) as e:
        print(i, 'write', type(e).__name__, e)
