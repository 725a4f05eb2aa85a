# Output without a trailing newline is flushed at exit, even when the
# program ends with an uncaught exception.
import sys

print('no newline', end='')
sys.stdout.write(' more')
print(' and stderr', end='', file=sys.stderr)
raise ValueError('done')
