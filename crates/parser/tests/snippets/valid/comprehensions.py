[x for x in y]
[x for x in y if x if not x]
[x for y in z for x in y]
{x for x in y}
{k: v for k, v in d.items()}
(x for x in y)
[(a, b) for a in x for b in y if a != b]
