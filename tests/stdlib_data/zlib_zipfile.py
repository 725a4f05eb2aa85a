# zipfile over zlib and binascii.crc32: write and read an archive in memory.
import io
import zipfile

buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w', compression=zipfile.ZIP_DEFLATED) as zf:
    for name, when, payload in [('a.txt', (2020, 1, 2, 3, 4, 6), b'hello ' * 500),
                                ('dir/b.bin', (2021, 5, 6, 7, 8, 10), bytes(range(256)) * 10)]:
        info = zipfile.ZipInfo(name, date_time=when)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, payload)
    zf.writestr('default.txt', b'uses the archive default ' * 20)
    info = zipfile.ZipInfo('stored.txt', date_time=(1999, 12, 31, 23, 59, 58))
    info.compress_type = zipfile.ZIP_STORED
    zf.writestr(info, b'plain')
raw = buf.getvalue()
print(len(raw))
with zipfile.ZipFile(io.BytesIO(raw)) as zf:
    for i in zf.infolist():
        print(i.filename, i.file_size, i.compress_size, i.CRC, i.compress_type, i.date_time if i.filename != 'default.txt' else '')
    print(zf.read('a.txt')[:12], len(zf.read('dir/b.bin')), zf.read('stored.txt'))
    print(zf.testzip())
