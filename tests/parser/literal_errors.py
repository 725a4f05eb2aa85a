# Number-literal errors after underscores, and the int-literal digit limit
# following sys.set_int_max_str_digits.
import sys

for src in ['0b1_2', '0o7_8', '0b1_', '0o_8', '0b12', '0x_g', '1__0', '0b1_0_1', '0o1_7']:
    try:
        print(repr(src), eval(src))
    except SyntaxError as e:
        print(repr(src), "SyntaxError:", e.msg, e.lineno, e.offset)

old = sys.get_int_max_str_digits()
sys.set_int_max_str_digits(1000)
try:
    compile("x = " + "3" * 1000, "s", "exec")
    print("1000 digits ok")
    compile("a = 1\nb = " + "3" * 1001, "s", "exec")
except SyntaxError as e:
    print("SyntaxError:", e.lineno, "Exceeds the limit (1000 digits)" in e.msg)
sys.set_int_max_str_digits(0)
print(len(str(eval("7" * 5000))))
sys.set_int_max_str_digits(old)
try:
    eval("7" * 5000)
except SyntaxError as e:
    print("SyntaxError:", "(4300 digits)" in e.msg)
