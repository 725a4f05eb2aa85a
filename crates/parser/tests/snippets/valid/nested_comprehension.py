[[y for y in x] for x in z]
{k: [v for v in vs] for k, vs in d}
