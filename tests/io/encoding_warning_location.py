# The EncodingWarning of -X warn_default_encoding names the caller's line
# (open(), TextIOWrapper(), io.text_encoding(None, stacklevel)).
import subprocess
import sys

code = """\
import io
with open(__import__('os').devnull) as f:                        # line 2
    pass
io.TextIOWrapper(io.BytesIO())                                   # line 4
def helper():
    return io.text_encoding(None)                                # line 6
helper()                                                         # line 7
io.text_encoding(None, 1)                                        # line 8
"""
p = subprocess.run([sys.executable, "-X", "warn_default_encoding", "-c", code], capture_output=True, text=True)
print(p.returncode, p.stderr)
