# Set displays and comprehensions with unpacking.

print(sorted({1, 2, 3, 2}))
print(sorted({*[1, 2], *(2, 3), 4}))
print(sorted({x % 3 for x in range(10)}))
print(type({1}).__name__, type({x for x in ()}).__name__)
try:
    {*1}
except TypeError as e:
    print(type(e).__name__, e)
try:
    {[1]}
except TypeError as e:
    print(type(e).__name__, e)
