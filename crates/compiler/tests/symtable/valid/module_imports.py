import os
import os.path
import a.b.c as d
from x import y, z as w
from . import rel
from .. import *
