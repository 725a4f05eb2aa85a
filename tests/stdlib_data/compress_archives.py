# zipfile (ZIP_BZIP2, ZIP_LZMA: raw LZMA1 with encoded filter properties)
# and tarfile (w:bz2, w:xz, streamed r|*) over _bz2 and _lzma.
import io
import tarfile
import zipfile

payload = {'a.txt': b'alpha ' * 500, 'dir/b.bin': bytes(range(256)) * 40, 'empty': b''}

for method in (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', compression=method) as z:
        for name, data in payload.items():
            z.writestr(name, data)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        print(method, [(i.filename, i.compress_type, i.file_size) for i in z.infolist()])
        print(all(z.read(n) == d for n, d in payload.items()), z.testzip())
        with z.open('a.txt') as f:
            print(f.read(12), f.read(3))

for mode in ('bz2', 'xz'):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:' + mode) as t:
        for name, data in payload.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    print(mode, raw[:3])
    for rmode in ('r:*', 'r|*', 'r:' + mode):
        with tarfile.open(fileobj=io.BytesIO(raw), mode=rmode) as t:
            names = []
            for m in t:
                names.append((m.name, m.size, t.extractfile(m).read() == payload[m.name]))
            print(rmode, names)
