print("|" + "ab".center(7) + "|", "ab".center(6, "*"), "ab".ljust(5, ".") + "|", "ab".rjust(5), "42".zfill(5), "-42".zfill(6), "+x".zfill(4))
print("  hi  ".strip() + "|", "xxhixx".strip("x"), "  hi".lstrip(), "hi  ".rstrip() + "|", "www.example.com".strip("cmowz."))
print("a\tb\tc".expandtabs(), "ab\tc".expandtabs(4), "-".join(["a", "b", "c"]), "".join([]))
print("Hello".removeprefix("He"), "Hello".removesuffix("lo"), "Hello".removeprefix("x"))
t = str.maketrans("abc", "xyz", "d")
print("abcd".translate(t), "hello".translate({ord("l"): None, ord("h"): "J"}), sorted(str.maketrans({"a": 1}).items()))
print("ab" * 3, 3 * "-", "abc"[::-1], "abcdef"[1:5:2], "abc"[-1], "abc"[5:])
try:
    "-".join(["a", 1])
except TypeError as e:
    print(e)
