# ContextVar.get after set/reset, across copied contexts and Context.run,
# nested runs, defaults, and many variables (the per-variable lookup cache
# must follow every change of the current context and of its values).
import contextvars
import pickle

a = contextvars.ContextVar("a")
b = contextvars.ContextVar("b", default="B0")
print(a.get("none"), b.get(), b.get("override"))
t = a.set(1)
print(a.get(), a.get("x"))
ctx = contextvars.copy_context()
a.set(2)
print(a.get(), ctx[a], ctx.run(a.get))


def inner(v):
    print("inner sees", a.get(), b.get())
    a.set(v)
    b.set("B" + str(v))
    print("inner set", a.get(), b.get())
    return a.get()


print(ctx.run(inner, 10), a.get(), b.get())
print(ctx.run(a.get), ctx[b], ctx.run(b.get))
print(ctx.run(inner, 11), ctx[a])
c2 = ctx.copy()
print(c2.run(inner, 12), ctx[a], c2[a])


def nested():
    a.set(100)
    r = contextvars.copy_context().run(lambda: (a.get(), a.set(200), a.get())[::2])
    return r, a.get()


print(contextvars.Context().run(nested), a.get())
a.reset(t)
print(a.get("gone"))
try:
    a.get()
except LookupError as e:
    print(type(e).__name__, e.args[0] is a)
vs = [contextvars.ContextVar("v%d" % i, default=i) for i in range(50)]
total = 0
for rnd in range(3):
    for i, v in enumerate(vs):
        if i % 3 == rnd:
            v.set(v.get() * 2)
        total += v.get()
print(total, [v.get() for v in vs[:8]])
tok = vs[0].set("tmp")
print(vs[0].get())
vs[0].reset(tok)
print(vs[0].get())

# Pickle memo: shared and recursive references, many objects.
shared = [1, 2]
obj = {"x": shared, "y": shared, "z": [shared, (shared,)], "s": ["str"] * 3}
obj["self"] = obj
for proto in range(0, pickle.HIGHEST_PROTOCOL + 1):
    data = pickle.dumps(obj, proto)
    back = pickle.loads(data)
    print(proto, len(data), back["x"] is back["y"], back["z"][0] is back["x"], back["self"] is back,
          back["z"][1][0] is back["x"])
big = [[i, str(i)] for i in range(600)]
big.append(big[0])
data = pickle.dumps(big, 2)
back = pickle.loads(data)
print(len(data), back[-1] is back[0], back[599])
