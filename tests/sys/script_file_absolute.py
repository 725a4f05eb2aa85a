# A script run by a relative path gets an absolute __file__ and
# co_filename (the working directory joined as it is); sys.argv[0] keeps
# the path as given; a missing script is reported by its absolute path.
import os
import subprocess
import sys
import tempfile

with tempfile.TemporaryDirectory() as d:
    os.mkdir(os.path.join(d, 'sub'))
    with open(os.path.join(d, 'sub', 'child.py'), 'w') as f:
        f.write('import sys, os\n'
                'cwd = os.getcwd()\n'
                'print(__file__.replace(cwd, "<cwd>"), sys.argv[0])\n'
                'print(sys._getframe().f_code.co_filename.replace(cwd, "<cwd>"))\n'
                'print(sys.path[0].replace(cwd, "<cwd>"))\n')
    for rel in ['sub/child.py', './sub/child.py', 'sub/../sub/child.py']:
        r = subprocess.run([sys.executable, rel], cwd=d, capture_output=True, text=True)
        print(r.returncode, r.stdout, r.stderr)
    r = subprocess.run([sys.executable, 'missing.py'], cwd=d, capture_output=True, text=True)
    print(r.returncode, r.stderr.split(':', 1)[1].replace(os.path.realpath(d), '<cwd>').replace(d, '<cwd>'))
