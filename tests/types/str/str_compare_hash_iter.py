print("a" < "b", "B" < "a", "abc" < "abd", "ab" < "abc", "" < "a", "é" > "z")
print("abc" == "abc", "abc" is not None, "x" * 0 == "")
print(list("abc"), tuple("hi"), set("aab") == {"a", "b"}, [c for c in "xyz"])
print(list(reversed("abc")), list(enumerate("ab")), "b" in "abc", "" in "abc")
it = iter("ab")
print(next(it), next(it), next(it, "done"))
print(str(b"x"), str(b"x", "ascii"), str(1.5), str([1, "a"]), str(None))
class S(str):
    def shout(self): return self.upper() + "!"
x = S("hey")
print(x.shout(), type(x + "a").__name__, type(x[0]).__name__, isinstance(x, str), repr(x))
