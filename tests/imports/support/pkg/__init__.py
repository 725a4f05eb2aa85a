from .inner import value
from . import sub

initialised = True
