if x: pass
while x: break
for x in y: continue
with a: pass
try: pass
except: pass
class C: pass
def f(): return 1
