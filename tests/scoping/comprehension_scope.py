x = 10
print([x for _ in range(2)])
class C:
    n = 3
    try:
        r = [n for _ in range(2)]
    except NameError as e:
        r = str(e)
    ok = [i for i in range(n)]
print(C.r, C.ok)
def f():
    y = 5
    return [[y + i for i in range(2)] for _ in range(2)]
print(f())
i = "untouched"
[i for i in range(3)]
print(i)
