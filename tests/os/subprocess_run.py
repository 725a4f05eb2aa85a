# subprocess on top of _posixsubprocess.fork_exec and posix: run, pipes,
# return codes, errors, cwd and env.
import os
import subprocess
import sys

r = subprocess.run(["echo", "hi"], capture_output=True)
print(r.returncode, r.stdout, r.stderr, r.args)
print(subprocess.run(["sh", "-c", "exit 3"]).returncode)
print(subprocess.check_output(["sh", "-c", "echo out; echo err >&2"], stderr=subprocess.STDOUT))
print(subprocess.check_output(["printf", "%s", "text"], text=True))
print(subprocess.run(["cat"], input=b"fed through stdin", capture_output=True).stdout)
print(subprocess.run(["pwd"], cwd="/", capture_output=True).stdout)
print(subprocess.run(["sh", "-c", "echo $TAIPAN_SUB"], env={"TAIPAN_SUB": "from env", "PATH": os.environ["PATH"]},
                     capture_output=True).stdout)
print(subprocess.call(["true"]), subprocess.call("exit 4", shell=True))
try:
    subprocess.check_call(["false"])
except subprocess.CalledProcessError as e:
    print(type(e).__name__, e.returncode, e)
try:
    subprocess.run(["/nonexistent/taipan-prog"])
except FileNotFoundError as e:
    print(type(e).__name__, e.errno, e.filename)
try:
    subprocess.run(["true"], cwd="/nonexistent-dir")
except FileNotFoundError as e:
    print(type(e).__name__, e.errno, e.filename)
p = subprocess.Popen(["sh", "-c", "read x; echo got $x; exit 5"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out, _ = p.communicate(b"line\n")
print(out, p.returncode, p.wait(), p.poll())
p = subprocess.Popen(["sleep", "10"])
p.kill()
print(p.wait())
print(subprocess.getoutput("echo a; echo b"), subprocess.getstatusoutput("exit 2"))
