# sys.is_finalizing() is true for finalizers run at interpreter exit.
import sys


class AtExit:
    is_finalizing = sys.is_finalizing
    print = print

    def __del__(self):
        self.print("finalizing:", self.is_finalizing(), flush=True)


print("running:", sys.is_finalizing())
ref = AtExit()
