# Importing audioop warns (3.11, PEP 594).
import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    import audioop
print(len(w), w[0].category.__name__, w[0].message)
# A second import finds the module in sys.modules: no new warning.
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    import audioop
print(len(w))
