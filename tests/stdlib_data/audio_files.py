# aifc, sunau and wave over audioop: write and read back in memory,
# including the u-law / A-law encodings that go through audioop.
import io
import warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import aifc
    import sunau
import wave



class Buffer(io.BytesIO):
    def close(self):
        pass


frames = b''.join(((i * 613) % 65536 - 32768).to_bytes(2, 'big', signed=True) for i in range(400))

for comptype in (b'NONE', b'ulaw', b'alaw', b'G722'):
    buf = Buffer()
    w = aifc.open(buf, 'wb')
    w.setnchannels(2)
    w.setsampwidth(2)
    w.setframerate(22050)
    if comptype != b'NONE':
        w.setcomptype(comptype, b'')
    try:
        w.writeframes(frames)
        w.close()
    except Exception as e:
        print(comptype, type(e).__name__, e)
        continue
    data = buf.getvalue()
    r = aifc.open(io.BytesIO(data))
    back = r.readframes(r.getnframes())
    print(comptype, len(data), r.getparams()[:5], len(back), back[:12])

for enc in ('ulaw', 'lin16'):
    buf = Buffer()
    w = sunau.open(buf, 'wb')
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(8000)
    if enc == 'ulaw':
        w.setcomptype('ULAW', '')
    w.writeframes(frames)
    w.close()
    data = buf.getvalue()
    r = sunau.open(io.BytesIO(data), 'rb')
    back = r.readframes(r.getnframes())
    print(enc, len(data), r.getcomptype(), r.getnframes(), back[:12])

buf = Buffer()
with wave.open(buf, 'wb') as w:
    w.setnchannels(1)
    w.setsampwidth(3)
    w.setframerate(44100)
    w.writeframes(frames[:300])
with wave.open(io.BytesIO(buf.getvalue())) as r:
    print(r.getparams(), r.readframes(5))
