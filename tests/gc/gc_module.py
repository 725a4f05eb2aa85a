import gc
print(gc.isenabled(), len(gc.get_threshold()), type(gc.get_count()).__name__)
gc.disable()
print(gc.isenabled())
gc.enable()
class T: pass
t = T()
print(gc.is_tracked(t), gc.is_tracked(1), gc.is_tracked([]), gc.is_tracked("s"))
lst = [t]
print(t in gc.get_referents(lst), any(r is lst for r in gc.get_referrers(t)))
print(gc.collect() >= 0, gc.garbage)
class Resurrect:
    saved = []
    def __del__(self):
        print("resurrecting")
        Resurrect.saved.append(self)
r = Resurrect()
del r
print(len(Resurrect.saved))
Resurrect.saved.clear()
print("second drop: __del__ not called again")
