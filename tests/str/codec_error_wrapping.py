# Failures inside codecs reached through the registry are re-raised as
# "encoding with 'X' codec failed (...)" when the exception allows it.
import codecs
codecs.register_error('t.bad', lambda e: 42)
for enc in ['UTF-16LE', 'utf_32', 'utf-8', 'latin1', 'cp1252', 'UTF8']:
    try: '\udc80'.encode(enc, 't.bad')
    except Exception as e: print(type(e).__name__, e, repr(e.__cause__))
    try: b'\xff\xff\xff'.decode(enc, 't.bad')
    except Exception as e: print(type(e).__name__, e, repr(e.__cause__))
try: codecs.encode('\udc80', 'utf-16', 't.bad')
except Exception as e: print(type(e).__name__, e, repr(e.__cause__))
try: str(b'\xff', 'utf-16', 't.bad')
except Exception as e: print(type(e).__name__, e, repr(e.__cause__))
class E(Exception):
    def __init__(self, a, b): super().__init__(a, b)
def bad(e): raise E(1,2)
codecs.register_error('t.raise', bad)
try: '\udc80'.encode('utf-16', 't.raise')
except Exception as e: print(type(e).__name__, e, repr(e.__cause__))
def bad2(e): raise ValueError('v')
codecs.register_error('t.raise2', bad2)
try: '\udc80'.encode('utf-16', 't.raise2')
except Exception as e: print(type(e).__name__, e, repr(e.__cause__))
