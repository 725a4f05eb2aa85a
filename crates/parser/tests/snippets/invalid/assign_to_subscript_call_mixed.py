a[0], b(), c = x
