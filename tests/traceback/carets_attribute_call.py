class Thing:
    def method(self, n):
        return n.undefined_attribute
t = Thing()
result = t.method(
    5,
)
