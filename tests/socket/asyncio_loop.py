# The pure-Python asyncio event loop over selectors/_socket: tasks,
# gather, sleep(0), queues, events, futures, call_soon ordering, a
# loopback TCP server and client, socketpair streams, timeouts.
import asyncio
import socket

print(type(asyncio.new_event_loop()).__name__)


async def worker(name, q, out):
    while True:
        item = await q.get()
        if item is None:
            q.task_done()
            break
        out.append((name, item))
        await asyncio.sleep(0)
        q.task_done()


async def tasks_and_queues():
    q = asyncio.Queue()
    out = []
    workers = [asyncio.create_task(worker(f"w{i}", q, out)) for i in range(3)]
    for i in range(9):
        await q.put(i)
    for _ in workers:
        await q.put(None)
    await q.join()
    await asyncio.gather(*workers)
    print(sorted(x for _, x in out), len({n for n, _ in out}))


async def square(x):
    await asyncio.sleep(0)
    return x * x


async def fails():
    await asyncio.sleep(0)
    raise ValueError("boom")


async def gathering():
    print(await asyncio.gather(*(square(i) for i in range(5))))
    r = await asyncio.gather(square(3), fails(), return_exceptions=True)
    print(r[0], type(r[1]).__name__, r[1])
    try:
        await asyncio.gather(fails(), square(2))
    except ValueError as e:
        print("gather raised", e)


async def ordering():
    loop = asyncio.get_running_loop()
    seen = []
    loop.call_soon(seen.append, 1)
    loop.call_soon(seen.append, 2)
    fut = loop.create_future()
    loop.call_soon(fut.set_result, "done")
    print(await fut, seen)
    ev = asyncio.Event()

    async def setter():
        await asyncio.sleep(0)
        seen.append("set")
        ev.set()

    t = asyncio.create_task(setter())
    await ev.wait()
    await t
    print(seen, t.done(), t.result())


async def timeouts():
    try:
        await asyncio.wait_for(asyncio.sleep(10), timeout=0.01)
    except asyncio.TimeoutError:
        print("wait_for timed out")
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("cancelled", t.cancelled())


async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def tcp():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for msg in [b"hello\n", b"asyncio over taipan\n"]:
        writer.write(msg)
        await writer.drain()
        print(await reader.readline())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    print("server closed")


async def pair():
    a, b = socket.socketpair()
    r1, w1 = await asyncio.open_connection(sock=a)
    r2, w2 = await asyncio.open_connection(sock=b)
    w1.write(b"ping\n")
    print(await r2.readline())
    w2.write(b"pong")
    w2.write_eof()
    print(await r1.read())
    w1.close()
    w2.close()
    await w1.wait_closed()
    await w2.wait_closed()


async def sock_api():
    loop = asyncio.get_running_loop()
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    await loop.sock_sendall(a, b"raw")
    print(await loop.sock_recv(b, 10))
    a.close()
    b.close()


async def main():
    await tasks_and_queues()
    await gathering()
    await ordering()
    await timeouts()
    await tcp()
    await pair()
    await sock_api()
    return "main done"


print(asyncio.run(main()))
