from collections import deque
class Switch:
    def __await__(self):
        yield
async def worker(name, n, log):
    for i in range(n):
        log.append(f"{name}{i}")
        await Switch()
    return name
def run_all(coros):
    q = deque(coros)
    results = []
    while q:
        c = q.popleft()
        try:
            c.send(None)
            q.append(c)
        except StopIteration as e:
            results.append(e.value)
    return results
log = []
print(run_all([worker("a", 3, log), worker("b", 1, log), worker("c", 2, log)]))
print(log)
