from __future__ import generator_stop
from __future__ import print_function, nested_scopes
x = 1
