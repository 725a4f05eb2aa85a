# PYTHONMALLOC chooses the allocator at startup (pymem_getallocatorsname
# reports it); -X dev does not override an explicit choice; -E ignores the
# variable. The debug hooks keep a busy program working.
import os
import subprocess
import sys

code = "import _testcapi; print(_testcapi.pymem_getallocatorsname())"
work = "import json; d = {str(i): [i] * (i % 7) for i in range(2000)}; print(len(json.dumps(d)))"
for env_var, args, src in [("malloc", [], code), ("malloc_debug", [], code), ("malloc", ["-X", "dev"], code),
                           ("malloc_debug", ["-X", "dev"], work)]:
    env = dict(os.environ, PYTHONMALLOC=env_var)
    env.pop("PYTHONDEVMODE", None)
    p = subprocess.run([sys.executable, *args, "-c", src], env=env, capture_output=True, text=True)
    print(env_var, args, p.returncode, p.stdout.strip(), p.stderr.strip()[-200:])
env = dict(os.environ, PYTHONMALLOC="malloc")
p = subprocess.run([sys.executable, "-E", "-c", code], env=env, capture_output=True, text=True)
print("-E:", p.stdout.strip() != "malloc")
