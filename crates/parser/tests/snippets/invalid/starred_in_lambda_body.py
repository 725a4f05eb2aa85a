lambda: *a
