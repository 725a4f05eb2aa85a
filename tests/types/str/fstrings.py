name, n, pi = "world", 42, 3.14159
print(f"hello {name}!", f"{n + 1}", f"{n!r:>5}", f"{pi:.2f}", f"{name!r}", f"{name=}", f"{n * 2 = }")
print(f"{'nested'}", f"{[1, 2][0]}", f"{ {'a': 1}['a'] }", f"{{braces}}", f"{n:{'>'}{10}}")
width, prec = 10, 3
print(f"[{pi:{width}.{prec}f}]", f"{n:#06x}", f"{1e6:,.0f}", f"{'x':^5}|")
print(f"""multi
{name}""", rf"\d{n}", f"{'é'!a}")
def f():
    return "called"
print(f"{f()}", f"{(lambda: 'lam')()}", f"{n if n else 0}", f"{pi=:.1f}")
class C:
    def __repr__(self): return "C()"
    def __str__(self): return "c-str"
    def __format__(self, spec): return "fmt:" + spec
print(f"{C()}", f"{C()!r}", f"{C()!s}", f"{C():spec}")
