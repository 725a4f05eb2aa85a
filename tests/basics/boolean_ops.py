print(True and 3, 0 and 3, None or "x", "" or 0, 5 or 6)
print(not 0, not [], not [0], not None)
def t(name, v):
    print("called", name)
    return v
print(t("a", 0) and t("b", 1))
print(t("a", 1) or t("b", 1))
print(t("a", 1) and t("b", 0) or t("c", 2))
print(bool(0.0), bool(-0.0), bool(0j), bool("0"), bool(()), bool({}), bool(set()))
