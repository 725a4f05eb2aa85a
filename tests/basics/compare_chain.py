print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1 > 0)
print(1 == 1.0, 1 is not None, "a" < "b" <= "b")
def f(v):
    print("eval", v)
    return v
print(f(1) < f(2) < f(0) < f(5))
print([1, 2] < [1, 3], (1, 2) < (1, 2, 0), "abc" > "abd")
print(1 in [1, 2], 3 not in (1, 2), "bc" in "abcd")
x = [1]
print(x is x, x == [1], x is [1])
