# faulthandler: dump_traceback's format, fatal-signal reports, register()
# and argument errors (thread ids masked).
import faulthandler
import os
import re
import signal
import subprocess
import sys
import tempfile


def masked(text):
    return re.sub(r"0x[0-9a-f]{16}", "0x<tid>", text)


def dump_to_file(**kw):
    with tempfile.TemporaryFile("wb+") as f:
        faulthandler.dump_traceback(f, **kw)
        f.seek(0)
        return masked(f.read().decode())


def inner(**kw):
    return dump_to_file(**kw)


def outer(**kw):
    return inner(**kw)


print(outer(all_threads=False), end="")
print(outer(), end="")
print(outer(all_threads=True).splitlines()[0])


def child(code, *args):
    p = subprocess.run([sys.executable, *args, "-c", code], capture_output=True, text=True)
    lines = [l for l in masked(p.stderr).splitlines() if not l.startswith("Extension modules:")]
    print("rc", p.returncode)
    print("\n".join(lines).rstrip("\n"))
    print(masked(p.stdout), end="")


child("import faulthandler\nfaulthandler.enable()\ndef f():\n    faulthandler._sigsegv()\nf()")
child("import faulthandler\nfaulthandler.enable(all_threads=False)\nfaulthandler._sigabrt()")
child("import faulthandler\nfaulthandler.enable()\nfaulthandler._sigfpe()")
child("import faulthandler\nfaulthandler.enable()\nfaulthandler.disable()\nfaulthandler._sigsegv()")
child("import faulthandler; print(faulthandler.is_enabled())")
child("import faulthandler; print(faulthandler.is_enabled())", "-X", "faulthandler")
child("""
import faulthandler, os, signal, sys
def handler(signum, frame):
    print("python handler called")
def func():
    os.kill(os.getpid(), signal.SIGUSR1)
faulthandler.register(signal.SIGUSR1, all_threads=False)
func()
signal.signal(signal.SIGUSR2, handler)
faulthandler.register(signal.SIGUSR2, chain=True)
func2 = lambda: os.kill(os.getpid(), signal.SIGUSR2)
func2()
print(faulthandler.unregister(signal.SIGUSR1), faulthandler.unregister(signal.SIGUSR1))
""")


def show(f, *a, **k):
    try:
        print("ok", f(*a, **k))
    except Exception as e:
        print(type(e).__name__, e)


show(faulthandler.register, signal.SIGSEGV)
show(faulthandler.register, 0)
show(faulthandler.register, 1000)
show(faulthandler.dump_traceback_later, 0)
show(faulthandler.dump_traceback_later, -1.5)
show(faulthandler.cancel_dump_traceback_later)
show(faulthandler.dump_traceback, -1)
saved = sys.stderr
sys.stderr = None
show(faulthandler.enable)
show(faulthandler.dump_traceback)
show(faulthandler.dump_traceback_later, 1e-3)
show(faulthandler.register, signal.SIGUSR1)
sys.stderr = saved
