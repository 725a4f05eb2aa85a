del [a, (b, g())]
