import traceback
def f():
    return 1 / 0
try:
    f()
except ZeroDivisionError as e:
    lines = traceback.format_exception(e)
    print("".join(lines).replace(__file__, "FILE"), end="")
    tb = e.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    print(tb.tb_frame.f_code.co_name, tb.tb_lineno)
print(traceback.format_exception_only(KeyError("k")))
