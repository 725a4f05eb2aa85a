class Registry(type):
    classes = []
    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        Registry.classes.append(name)
    def __repr__(cls):
        return f"<class {cls.__name__} via Registry>"
    def __len__(cls):
        return len(Registry.classes)
    def __getitem__(cls, item):
        return f"{cls.__name__}[{item}]"
    def __iter__(cls):
        return iter(Registry.classes)
class Base(metaclass=Registry): pass
class Child(Base): pass
print(Registry.classes, repr(Child), len(Base), Child[int], list(Base))
class WithClassGetitem:
    def __class_getitem__(cls, item):
        return ("cgi", cls.__name__, item)
print(WithClassGetitem[int, str])
print(type(Child), Child.__class__.__mro__)
