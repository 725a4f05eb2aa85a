import warnings, sys
warnings.warn("plain user warning")
warnings.warn("deprecated thing", DeprecationWarning)
warnings.warn("shown once", UserWarning)
def f():
    warnings.warn("from f", RuntimeWarning, stacklevel=2)
f()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    warnings.warn("recorded", FutureWarning)
    print(len(w), w[0].category.__name__, str(w[0].message))
warnings.filterwarnings("error", category=UserWarning)
try:
    warnings.warn("now an error")
except UserWarning as e:
    print("raised", e)
print("done")
