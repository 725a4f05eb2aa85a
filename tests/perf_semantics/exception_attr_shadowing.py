class E(Exception):
    msg = ''
    def __init__(self, msg):
        self.msg = msg
        Exception.__init__(self, msg)
    def __str__(self):
        return self.msg
for i in range(3):
    e = E("hello %d" % i)
    print(str(e), e.msg, e.__dict__)
class P:
    msg = ''
    def __init__(self, m): self.msg = m
    def get(self): return self.msg
for i in range(3):
    print(P(i).get())
