x = 3.14159265
print(format(x, ".2f"), format(x, "10.3f") + "|", format(x, "<10.1f") + "|", format(x, "e"), format(x, ".3E"))
print(format(x, "g"), format(1e20, "g"), format(1e-5, "g"), format(123456789.0, ".3g"), format(0.0001, ".2g"))
print(format(0.25, "%"), format(0.25, ".1%"), format(1234.5, ",.2f"), format(-1.0, "+.1f"), format(1.0, " .1f"))
print(format(x, ""), format(1e16, ""), format(2.0, "n"), format(1.5, "#.0f"), format(100.0, "#g"))
print("%.3f %e %g %10.2f|%-8.1f|" % (x, x, x, x, x))
print(f"{x:.{3}f}", f"{x:08.2f}", f"{-x:=+10.2f}", f"{float('inf'):f}", f"{float('nan'):F}")
