print("exit() builtin from site")
exit(5)
