import sys
if sys.version_info >= (3, 11):
    print("3.11+")
assert True, "never"
try:
    assert 1 == 2, "one is not two"
except AssertionError as e:
    print("AssertionError", e)
try:
    assert False
except AssertionError as e:
    print("args", e.args)
