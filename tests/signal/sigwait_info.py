# sigwaitinfo / sigtimedwait / struct_siginfo, sigset argument errors,
# faulthandler.dump_traceback_later, KeyboardInterrupt's exit status and
# the -i prompt on a pipe.
import faulthandler
import os
import signal
import subprocess
import sys
import time

print(signal.struct_siginfo.__name__, signal.struct_siginfo.__module__, signal.struct_siginfo.n_sequence_fields)
print(signal.struct_siginfo.__doc__.splitlines()[0])

signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1, signal.SIGUSR2])
signal.raise_signal(signal.SIGUSR1)
print("pending", sorted(signal.sigpending()))
info = signal.sigwaitinfo([signal.SIGUSR1])
print(type(info).__name__, info.si_signo == signal.SIGUSR1, info.si_code, info.si_errno, info.si_pid == os.getpid(), info.si_uid == os.getuid())
print(len(info), info[0] == info.si_signo)

signal.raise_signal(signal.SIGUSR2)
info = signal.sigtimedwait([signal.SIGUSR1, signal.SIGUSR2], 5)
print("timedwait", info.si_signo == signal.SIGUSR2)
print("timeout 0", signal.sigtimedwait([signal.SIGUSR1], 0))
print("timeout 0.01", signal.sigtimedwait([signal.SIGUSR1], 0.01))
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1, signal.SIGUSR2])

for call in [
    lambda: signal.sigtimedwait([signal.SIGUSR1], -1),
    lambda: signal.sigtimedwait([signal.SIGUSR1], float("nan")),
    lambda: signal.sigtimedwait([signal.SIGUSR1]),
    lambda: signal.sigwaitinfo([0]),
    lambda: signal.sigwaitinfo([signal.NSIG]),
    lambda: signal.pthread_sigmask(signal.SIG_BLOCK, [1 << 1000]),
    lambda: signal.pthread_sigmask(signal.SIG_BLOCK, [-5]),
    lambda: faulthandler.dump_traceback_later(0),
    lambda: faulthandler.dump_traceback_later(-1),
    lambda: faulthandler.dump_traceback_later(float("nan")),
    lambda: faulthandler.dump_traceback_later("x"),
]:
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)

# A cancelled watchdog writes nothing; an expired one writes its header.
r, w = os.pipe()
faulthandler.dump_traceback_later(30, file=w)
faulthandler.cancel_dump_traceback_later()
faulthandler.cancel_dump_traceback_later()
faulthandler.dump_traceback_later(0.01, file=w)
time.sleep(0.15)
os.set_blocking(r, False)
print(os.read(r, 1000).splitlines()[0])
faulthandler.cancel_dump_traceback_later()
os.close(r)
os.close(w)

# An uncaught KeyboardInterrupt ends the process by SIGINT.
p = subprocess.run([sys.executable, "-c", "raise KeyboardInterrupt"], capture_output=True)
print("KeyboardInterrupt", p.returncode, p.stderr.splitlines()[-1])

# -i on a pipe: prompts on stderr, results on stdout.
p = subprocess.run([sys.executable, "-i"], input=b"print(6 * 7)\nx = 5\nx\n", capture_output=True)
print("-i", p.returncode, p.stdout, p.stderr.endswith(b">>> >>> >>> >>> \n"))
