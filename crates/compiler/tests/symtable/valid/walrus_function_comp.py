def f(data):
    if any((hit := x) > 0 for x in data):
        return hit
