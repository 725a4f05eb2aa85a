# Buffered output survives sys.exit and __del__ printing at shutdown.
import sys


class Late:
    def __del__(self):
        print('from __del__', end='')


keep = Late()
print('before exit', end=' ')
f = open(__file__ + '.exit.tmp', 'w')
f.write('data kept by the exit-time close')
sys.exit(3)
