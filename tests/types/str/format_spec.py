for spec in ["", "10", "<10", ">10", "^10", "*^10", "=10", "+", "-", " ", "#x", "010", "_", ",", ".3", "10.3", ".0f", "e", "g", "%", "n", "o", "c"]:
    out = []
    for v in (1234, -56.789, "text"):
        try:
            out.append(repr(format(v, spec)))
        except (ValueError, TypeError) as e:
            out.append("!" + type(e).__name__)
    print(repr(spec).ljust(8), " ".join(out))
