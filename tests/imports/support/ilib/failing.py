x = 1
raise ValueError("failing module body")
