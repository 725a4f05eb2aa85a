# Errors raised by __iter__ pass through list/tuple/sorted/join/unpacking;
# only an object that cannot be iterated at all gets the generic message.
class Bad:
    def __iter__(self): raise ValueError('inner')
for f in [sorted, tuple, list, set, frozenset, lambda o: dict.fromkeys(o), lambda o: ''.join(o), lambda o: bytes(o), lambda o: max(o), lambda o: sum(o), lambda o: [*o], lambda o: print(*o)]:
    for v in [5, Bad()]:
        try: f(v)
        except Exception as e: print(type(e).__name__, e)
try: a, b = 5
except Exception as e: print(type(e).__name__, e)
try: a, b = Bad()
except Exception as e: print(type(e).__name__, e)
