# _opcode.stack_effect over every opcode (CPython 3.11's numbering), with
# and without jumps, and its errors.
import _opcode

HAVE_ARGUMENT = 90
opargs = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 255, 256, 257, 511, 65535, -1, -3, 2**31, 2**40 + 3]
for op in range(-12, 260):
    row = []
    for arg in ([None] if op < HAVE_ARGUMENT else opargs):
        for jump in (None, True, False):
            try:
                row.append(_opcode.stack_effect(op, arg, jump=jump))
            except ValueError as e:
                row.append(str(e)[:5])
    print(op, row)

for args, kw in [((1, 0), {}), ((100,), {}), ((3,), {}), ((1,), {"jump": 1}), ((1,), {"jump": "x"}),
                 ((), {}), ((1, None, None), {}), ((1,), {"oparg": None}), ((1.0,), {}),
                 ((2**31,), {}), ((True,), {}), ((100, 2**70), {})]:
    try:
        print(_opcode.stack_effect(*args, **kw))
    except Exception as e:
        print(type(e).__name__, e)
print(_opcode.get_specialization_stats())

