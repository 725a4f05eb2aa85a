# io.text_encoding() follows the UTF-8 mode; -X warn_default_encoding
# makes open()/TextIOWrapper without an encoding and text_encoding(None)
# warn (EncodingWarning); encoding_warning_location.py checks the lines.
import subprocess
import sys

code = "import io; print(io.text_encoding(None), io.text_encoding('latin-1'))"
p = subprocess.run([sys.executable, "-X", "utf8=0", "-c", code], capture_output=True, text=True)
print(p.returncode, p.stdout.strip(), p.stderr.strip())

code = """\
import io, sys
with open(__import__('os').devnull) as f:                        # line 2
    pass
io.TextIOWrapper(io.BytesIO())                                   # line 4
io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
def helper():
    return io.text_encoding(None)                                # line 7
print(helper(), sys.flags.utf8_mode)                             # line 8
print(io.text_encoding(None, 1))                                 # line 9
"""
p = subprocess.run([sys.executable, "-X", "utf8", "-X", "warn_default_encoding", "-W", "always", "-c", code],
                   capture_output=True, text=True)
print(p.returncode, p.stdout.strip())
print("EncodingWarning: 'encoding' argument not specified" in p.stderr)
