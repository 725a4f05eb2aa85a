import os.path
import a.b.c as d
from . import sibling
from .pkg import name as other
from m import *
