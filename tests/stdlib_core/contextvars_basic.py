import contextvars as cv
from contextvars import ContextVar, Context, Token, copy_context

v = ContextVar('v', default=1)
w = ContextVar('w')
print(v.name, v.get(), w.get('dflt'), repr(v).startswith("<ContextVar name='v' default=1 at 0x"), repr(w).startswith("<ContextVar name='w' at"))
t = v.set(2)
print(v.get(), t.var is v, t.old_value is Token.MISSING, repr(Token.MISSING), repr(t).startswith('<Token var=<ContextVar'))
ctx = copy_context()
print(ctx[v], v in ctx, w in ctx, len(ctx), ctx.get(w), ctx.get(w, 9), list(ctx.keys()) == [v], list(ctx.values()), list(ctx) == [v])
v.reset(t)
print(v.get(), ctx[v])
try:
    v.reset(t)
except RuntimeError as e:
    print('RuntimeError', str(e).startswith('<Token used var='))

def work(x):
    v.set(x)
    w.set(x * 10)
    return v.get() + w.get()

c2 = copy_context()
print(c2.run(work, 5), c2[v], c2[w], v.get(), w.get(None))
print(Context().run(lambda: v.get()), Context().run(lambda: w.get(3)))

def nested():
    try:
        c2.run(lambda: None)
    except RuntimeError as e:
        return str(e).startswith('cannot enter context: <_contextvars.Context object at')
print(c2.run(nested))

t2 = w.set('a')
other = ContextVar('other')
try:
    other.reset(t2)
except ValueError as e:
    print('ValueError', 'created by a different ContextVar' in str(e))
c3 = copy_context()
try:
    c3.run(w.reset, t2)
except ValueError as e:
    print('ValueError', 'created in a different Context' in str(e))
w.reset(t2); print(w.get('unset'))

for expr in ['w.get()', 'ContextVar(1)', 'copy_context()[1]', 'ContextVar()', 'Token()', 'Context(1)', 'v.reset(1)', 'hash(Context())']:
    try:
        print(expr, '->', eval(expr))
    except Exception as e:
        msg = str(e)
        print(expr, type(e).__name__, msg if '0x' not in msg else msg[:msg.index('0x')])
print(ContextVar[int], type(v).__module__, cv.Context.__name__)
