# -X int_max_str_digits and PYTHONINTMAXSTRDIGITS set the starting limit of
# int/str conversions; the first -X of a name counts (sys._xoptions keeps
# the last); -E ignores the environment variable.
import os
import subprocess
import sys

probe = "import sys; print(sys.get_int_max_str_digits(), sys.flags.int_max_str_digits, sys._xoptions.get('int_max_str_digits'))"
env = {k: v for k, v in os.environ.items() if k != "PYTHONINTMAXSTRDIGITS"}


def run(*args, extra=None):
    e = dict(env, **(extra or {}))
    r = subprocess.run([sys.executable, *args, "-c", probe], env=e, capture_output=True, text=True)
    print(r.returncode, r.stdout.strip())


run()
run("-X", "int_max_str_digits=5000")
run("-X", "int_max_str_digits=0")
run("-X", "int_max_str_digits=5000", "-X", "int_max_str_digits=6000")
run(extra={"PYTHONINTMAXSTRDIGITS": "7000"})
run("-E", extra={"PYTHONINTMAXSTRDIGITS": "7000"})
run("-X", "int_max_str_digits=8000", extra={"PYTHONINTMAXSTRDIGITS": "7000"})
r = subprocess.run([sys.executable, "-X", "int_max_str_digits=5000", "-c", "print(len(str(10 ** 4999)))"], env=env, capture_output=True, text=True)
print(r.returncode, r.stdout.strip())
r = subprocess.run([sys.executable, "-X", "int_max_str_digits=5000", "-c", "str(10 ** 5000)"], env=env, capture_output=True, text=True)
print(r.returncode, r.stderr.strip().splitlines()[-1])
