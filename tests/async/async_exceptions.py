class Y:
    def __await__(self):
        yield "y"
async def failing():
    await Y()
    raise ValueError("async failure")
async def catcher():
    try:
        await failing()
    except ValueError as e:
        return "caught " + str(e)
def drive(c):
    while True:
        try:
            c.send(None)
        except StopIteration as e:
            return e.value
print(drive(catcher()))
async def agen():
    try:
        yield 1
        yield 2
    finally:
        print("agen finally")
async def early_break():
    async for v in agen():
        print("got", v)
        break
    return "broke"
print(drive(early_break()))
async def group():
    try:
        raise ExceptionGroup("eg", [ValueError(1), KeyError(2)])
    except* ValueError:
        print("async except* ValueError")
    except* KeyError:
        print("async except* KeyError")
    return "ok"
print(drive(group()))
c = failing()
c.send(None)
try:
    c.send(None)
except ValueError as e:
    print("propagated out of send:", e)
