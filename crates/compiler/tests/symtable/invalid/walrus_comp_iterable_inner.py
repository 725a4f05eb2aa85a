[x for x in a for y in (z := b)]
