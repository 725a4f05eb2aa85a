# exp, ln, log10 and ** (non-integral and huge exponents), three-argument
# pow: results and the flags they raise, over precisions and rounding modes.
from decimal import *
D = Decimal
def flags(c):
    return ",".join(sorted(k.__name__ for k, v in c.flags.items() if v))
def show(label, f):
    c = getcontext(); c.clear_flags()
    try:
        r = f()
    except Exception as e:
        r = type(e).__name__
    print(label, r, flags(c))
vals = ['0', '1', '-1', '2', '0.5', '10', '100', '1E+5', '1E-5', '123.456', '-123.456', '0.999999', '1.000001',
        '2.5E+10', '3E-20', '7', '1E+100', '-1E+100', '12345678901234567890', '0.1', 'Inf', '-Inf', 'NaN', 'sNaN', '-0',
        '1.0000000000000000000000000000001', '0.9999999999999999999999999999999', '230', '-230', '1E+7', '-1E+7']
for prec in [1, 9, 28]:
    for rnd in [ROUND_HALF_EVEN, ROUND_DOWN, ROUND_CEILING, ROUND_05UP]:
        c = Context(prec=prec, rounding=rnd, traps=[])
        setcontext(c)
        for v in vals:
            x = D(v)
            show(f"{prec} {rnd} exp({v})", lambda: x.exp())
            show(f"{prec} {rnd} ln({v})", lambda: x.ln())
            show(f"{prec} {rnd} log10({v})", lambda: x.log10())
        for a in ['2', '0.5', '10', '1.5', '-2', '3', '1', '0', '1.000', '123.456', '-0', 'Inf', '1E+10', '0.0001']:
            bs = ['0.5', '-0.5', '1.5', '2', '-3', '0', '0.333', 'Inf', '-Inf', '1E-40', '100', '-1.25']
            if rnd == ROUND_HALF_EVEN:
                # huge integral exponents (libmpdec squares at a working precision)
                bs += ['1E+10', '-1E+10', '12345678901']
            for b in bs:
                show(f"{prec} {rnd} {a}**{b}", lambda: D(a) ** D(b))
c = Context(prec=28, Emax=99, Emin=-99, traps=[])
setcontext(c)
for v in ['230', '228', '-230', '-227', '-232', '1E-200', '1E+200']:
    show(f"small exp({v})", lambda: D(v).exp())
    show(f"small ln({v})", lambda: D(v).ln())
for a, b in [('10', '99'), ('10', '100'), ('2', '330'), ('2', '-330'), ('3', '209.5'), ('0.5', '330.5'), ('7', '-118.3')]:
    show(f"small {a}**{b}", lambda: D(a) ** D(b))
c = Context(prec=28, Emax=99, Emin=-99, clamp=1, traps=[])
setcontext(c)
for a, b in [('10', '98'), ('2', '-331'), ('1.5', '500.5')]:
    show(f"clamp {a}**{b}", lambda: D(a) ** D(b))
setcontext(Context(traps=[]))
for a, b, m in [(3, 100, 7), (3, '1E+3', 7), (-3, 101, 7), (3, -1, 7), (3, '1.5', 7), (3, 2, 0), (0, 0, 7), (3, 2, '7.0'),
                (3, 2, '1E+40'), (3, 2, -7), (3, 2, 'NaN'), (3, 2, 'sNaN'), ('Inf', 2, 7), ('3E+1', 2, 7), (3, '2E+1', 7), ('30E-1', 2, 7), (3, 0, 1), (12345678901234567890, 98765432109876543210, 1000000007)]:
    show(f"pow({a},{b},{m})", lambda: pow(D(a), D(b), D(m)))
getcontext().prec = 200
show("e200", lambda: D(1).exp())
show("ln2_200", lambda: D(2).ln())
show("pow200", lambda: D(2) ** D('0.5'))
getcontext().prec = 1000
show("e1000", lambda: str(D(1).exp())[-20:])
show("ln1000", lambda: str(D(3).ln())[-20:])
show("log1000", lambda: str(D(7).log10())[-20:])
