# csv.DictReader, csv.DictWriter and csv.Sniffer on top of _csv.
import csv
import io

data = "name,age,city\r\nann,31,Oslo\r\nbob,27,\"New York, NY\"\r\ncid,40\r\ndan,1,2,3\r\n"
r = csv.DictReader(io.StringIO(data, newline=''))
print(r.fieldnames)
for row in r:
    print(row)
print(r.line_num)

r = csv.DictReader(io.StringIO("a;b\n1;2\n", newline=''), delimiter=';', restkey='rest', restval='?')
print(list(r))
r = csv.DictReader(['1,2,3', '4,5'], fieldnames=['x', 'y', 'z'], restval='-')
print(list(r))

s = io.StringIO()
w = csv.DictWriter(s, fieldnames=['a', 'b', 'c'], extrasaction='raise')
print(w.writeheader())
w.writerow({'a': 1, 'b': 'x,y'})
w.writerows([{'a': 2, 'c': 3}, {'b': None}])
print(repr(s.getvalue()))
try:
    w.writerow({'a': 1, 'zz': 2})
except ValueError as e:
    print('ValueError', e)
w2 = csv.DictWriter(s, fieldnames=['a'], extrasaction='ignore')
w2.writerow({'a': 'q', 'zz': 2})
print(repr(s.getvalue()[-3:]))
try:
    csv.DictWriter(s, ['a'], extrasaction='bogus')
except ValueError as e:
    print('ValueError', e)

sn = csv.Sniffer()
sample = "id;name;score\n1;'ann';3.5\n2;'bob';4.0\n3;'cid';2.5\n"
d = sn.sniff(sample)
print(d.delimiter, repr(d.quotechar), d.doublequote, d.skipinitialspace, repr(d.lineterminator))
print(sn.has_header(sample))
d = sn.sniff("a,b,c\n1,2,3\n4,5,6\n")
print(d.delimiter, repr(d.quotechar), sn.has_header("a,b,c\n1,2,3\n4,5,6\n"))
d = sn.sniff('"x":"y":"z"\n"1":"2":"3"\n', delimiters=':')
print(d.delimiter, d.quotechar)
print(list(csv.reader(io.StringIO('"x":"y":"z"\n'), d)))
try:
    sn.sniff("")
except csv.Error as e:
    print('Error', e)

# round trip through a file-like object
buf = io.StringIO(newline='')
rows = [['a', 'b "q"', 'c\nd'], ['', None, 1.25], ['x' * 3, ' lead', 'trail ']]
csv.writer(buf).writerows(rows)
buf.seek(0)
print(list(csv.reader(buf)))
