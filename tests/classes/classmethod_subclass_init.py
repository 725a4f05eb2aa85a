# Subclasses of classmethod/staticmethod call super().__init__ (abc's legacy API).
import abc

class tagged_classmethod(classmethod):
    def __init__(self, f):
        f.tag = "cm"
        super().__init__(f)

class tagged_staticmethod(staticmethod):
    def __init__(self, f):
        f.tag = "sm"
        super().__init__(f)

class C(abc.ABC):
    @tagged_classmethod
    def make(cls):
        return cls.__name__

    @tagged_staticmethod
    def twice(x):
        return 2 * x

    @abc.abstractclassmethod
    def abstract_cm(cls):
        pass

    @abc.abstractstaticmethod
    def abstract_sm():
        pass

print(C.make(), C.twice(21), C.make.__func__.tag if hasattr(C.make, "__func__") else None)
print(C.__abstractmethods__ == frozenset({"abstract_cm", "abstract_sm"}))
try:
    C()
except TypeError as e:
    print("TypeError", "abstract" in str(e))
try:
    classmethod(len).__init__(1, 2)
except TypeError as e:
    print("TypeError", e)
try:
    staticmethod(len).__init__(f=1)
except TypeError as e:
    print("TypeError", e)
