# ossaudiodev without a sound device: argument checking, errors from the
# ioctls on a file that is not a sound device (/dev/null), the mixer object
# and its closed state. (No machine here has /dev/dsp.)
import os
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import ossaudiodev as oss
print([str(w.message) for w in caught], [w.category.__name__ for w in caught])

print(oss.error is oss.OSSAudioError, oss.OSSAudioError.__mro__[1].__name__, oss.OSSAudioError.__module__)
print(oss.control_labels)
print(oss.control_names)
print(len(oss.control_labels), oss.SOUND_MIXER_NRDEVICES)
consts = sorted(n for n in dir(oss) if n.isupper())
print(len(consts))
print(oss.AFMT_S16_LE, oss.AFMT_U8, oss.AFMT_QUERY, oss.SNDCTL_DSP_SETFMT, oss.SNDCTL_DSP_GETOSPACE, oss.SOUND_MIXER_PCM)


def t(f, *a, **k):
    try:
        r = f(*a, **k)
        print("ok", type(r).__name__)
        return r
    except Exception as e:
        print(type(e).__name__, e, getattr(e, "filename", None))


t(oss.open)
t(oss.open, 1)
t(oss.open, "a", "b", "c")
t(oss.open, b"w")
t(oss.open, "/dev/null", b"w")
t(oss.open, "/dev/null\0", "w")
t(oss.open, "x")
t(oss.open, "/dev/null", "q")
t(oss.open, "/dev/null", "w")
t(oss.open, "/dev/null", "r")
t(oss.open, "/dev/null", "rw")
t(oss.open, "/nonexistent/dsp", "w")
t(oss.open, mode="w")
os.environ["AUDIODEV"] = "/nonexistent/audiodev"
t(oss.open, "w")
os.environ["AUDIODEV"] = "/dev/null"
t(oss.open, "r")
del os.environ["AUDIODEV"]

t(oss.openmixer, 1)
t(oss.openmixer, "/dev/null", "x")
t(oss.openmixer, device="x")
t(oss.openmixer, "/nonexistent/mixer")
os.environ["MIXERDEV"] = "/nonexistent/mixerdev"
t(oss.openmixer)
del os.environ["MIXERDEV"]

m = oss.openmixer("/dev/null")
print(type(m).__name__, type(m).__module__, sorted(n for n in dir(m) if not n.startswith("__")))
print(isinstance(m.fileno(), int))
t(m.controls)
t(m.stereocontrols)
t(m.reccontrols)
t(m.get_recsrc)
t(m.set_recsrc, 1)
t(m.set_recsrc)
t(m.controls, 1)
t(m.get, 5)
t(m.get, 25)
t(m.get, 26)
t(m.get, -1)
t(m.get, "a")
t(m.get)
t(m.get, 2**40)
t(m.set, 0, (101, 0))
t(m.set, 0, (0, -1))
t(m.set, 26, (1, 1))
t(m.set, 0, (1,))
t(m.set, 0, 5)
t(m.set, 0, [1, 1])
t(m.set, 0, (1.5, 1))
t(m.set, 0)
with m as mm:
    print(mm is m)
t(m.fileno)
t(m.close)
t(m.controls)
t(m.get, 99)
t(m.set, 0, (1, 1))
t(m.__exit__, 1, 2, 3, 4)
t(m.__enter__)
t(type(m))
