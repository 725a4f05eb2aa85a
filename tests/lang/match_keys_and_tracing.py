# match statements: duplicate mapping keys compared by value, literal-only
# value patterns, star captures, and the lines a tracer sees.
import sys

def compile_error(src):
    try:
        compile(src, "<s>", "exec")
        print("compiled")
    except SyntaxError as e:
        print(type(e).__name__, e.msg, e.lineno, e.offset)

for pat in ['{0: _, False: _}', '{0: _, 0.0: _}', '{0: _, -0: _}', '{0: _, 0j: _}',
            '{1: _, 1+0j: _}', '{-0.0: _, 0: _}', '{"a": _, b"a": _}', '{1: _, True: _}',
            '{0.5: _, 0.5+0j: _}', '{-1-0j: _, -1: _}', '{None: _, None: _}',
            '{"a": _, "a": _}', '{1: _, 2: _}', '{2-1j: _, 2-1j: _}',
            '{99999999999999999999: _, 99999999999999999999.0: _}',
            'f""', 'f"{x}"', '-1', '1+2j', '-1.5-2j', '{f"": _}', '{x.y: _, x.y: _}']:
    print(pat, end=": ")
    compile_error("match x:\n case " + pat + ":\n  pass\n")

def star(subject):
    match subject:
        case [*x]:
            return x

print(star((0, 1, 2)), star([]), star("ab"), star(range(3)))

match (0, 1, 2):
    case [0, *rest, 2]:
        print("rest", rest)
match (0, 1, 2):
    case [*first, 2]:
        print("first", first)
match {"a": 1, 0: 2}:
    case {False: v, "a": w}:
        print("by value", v, w)
match -0.0:
    case 0:
        print("zero matches -0.0")

def _trace(func, *args):
    out = []
    def trace(frame, event, arg):
        if event == "line" and frame.f_code.co_name == func.__name__:
            out.append(frame.f_lineno - func.__code__.co_firstlineno)
        return trace
    sys.settrace(trace)
    try:
        func(*args)
    finally:
        sys.settrace(None)
    return out

def default_wildcard(command):                          # 0
    match command.split():                              # 1
        case ["go", direction] if direction in "nesw":  # 2
            return f"go {direction}"                    # 3
        case ["go", _]:                                 # 4
            return "no go"                              # 5
        case _:                                         # 6
            return "default"                            # 7

def no_default(command):                                # 0
    match command.split():                              # 1
        case ["go", direction] if direction in "nesw":  # 2
            return f"go {direction}"                    # 3
        case ["go", _]:                                 # 4
            return "no go"                              # 5

def only_capture(command):  # 0
    match command.split():  # 1
        case x:             # 2
            return x        # 3

def unreachable(command):     # 0
    match command:            # 1
        case 1:               # 2
            if False:         # 3
                return 1      # 4
        case _:               # 5
            if False:         # 6
                return 0      # 7

def after(c):                 # 0
    match c:                  # 1
        case 1:               # 2
            x = 1             # 3
        case 2 | 3:           # 4
            x = 2             # 5
    return x                  # 6

for f in (default_wildcard, no_default, only_capture):
    print(f.__name__, [_trace(f, a) for a in ("go n", "go x", "spam")])
print(_trace(unreachable, 1), _trace(unreachable, 0))
print(_trace(after, 1), _trace(after, 3))

# Future imports after other statements are compile errors.
for src in ['x=1\nfrom __future__ import division', '"doc"\nfrom __future__ import division\nx=1\nfrom __future__ import annotations',
            'def f():\n    from __future__ import division', 'from __future__ import division\nfrom __future__ import annotations\nx = 1']:
    compile_error(src)

# 'await' outside an async function.
for src in ['def foo():\n    await something()', 'lambda: await x', 'async def f():\n    def g():\n        await x',
            'async def f():\n    lambda: await x', 'def f():\n    [await x for x in y]', 'def f():\n    (await x for x in y)',
            'async def f():\n    [await x for x in y]', 'async def f():\n    await x', 'def f():\n    [i async for i in y]',
            'def f():\n    async def g(a=await b): pass']:
    compile_error(src)
