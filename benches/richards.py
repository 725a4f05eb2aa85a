"""Richards-style scheduler: tasks with priorities exchange packets.

An operating-system kernel simulation written for Taipan: an idle task
releases two workers, workers fill packets and hand them to handlers,
handlers feed device tasks; tasks block, wait and are woken through a
priority-ordered run list. Exercises attribute access, method calls,
linked lists and small integer arithmetic.
"""

IDLE, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = range(6)
KIND_WORK, KIND_DEVICE = 0, 1


class Packet:
    __slots__ = ("link", "dest", "kind", "count", "data")

    def __init__(self, link, dest, kind):
        self.link = link
        self.dest = dest
        self.kind = kind
        self.count = 0
        self.data = [0, 0, 0, 0]

    def append_to(self, queue):
        self.link = None
        if queue is None:
            return self
        p = queue
        while p.link is not None:
            p = p.link
        p.link = self
        return queue


class Task:
    def __init__(self, sched, ident, priority, queue):
        self.sched = sched
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.waiting = False
        self.held = False
        sched.add(self)

    def ready(self):
        # A waiting task becomes ready again when a packet arrives.
        return not self.held and (self.queue is not None or not self.waiting)

    def take_packet(self):
        p = self.queue
        if p is None:
            return None
        self.queue = p.link
        self.waiting = False
        return p

    def deliver(self, packet):
        # Returns the task that should run next.
        self.queue = packet.append_to(self.queue)
        return self if self.priority > self.sched.current.priority else self.sched.current


class IdleTask(Task):
    def __init__(self, sched, count):
        super().__init__(sched, IDLE, 0, None)
        self.control = 1
        self.count = count

    def step(self, packet):
        self.count -= 1
        if self.count == 0:
            self.held = True
            return None
        if self.control & 1 == 0:
            self.control >>= 1
            return self.sched.release(DEVICE_A)
        self.control = (self.control >> 1) ^ 0xD008
        return self.sched.release(DEVICE_B)


class WorkerTask(Task):
    def __init__(self, sched, queue):
        super().__init__(sched, WORKER, 1000, queue)
        self.dest = HANDLER_A
        self.letter = 0

    def step(self, packet):
        if packet is None:
            return self.sched.wait()
        self.dest = HANDLER_B if self.dest == HANDLER_A else HANDLER_A
        packet.dest = self.dest
        packet.count = 0
        for i in range(4):
            self.letter = self.letter + 1 if self.letter < 26 else 1
            packet.data[i] = self.letter
        return self.sched.send(packet)


class HandlerTask(Task):
    def __init__(self, sched, ident, priority, queue):
        super().__init__(sched, ident, priority, queue)
        self.work = None
        self.devices = None

    def step(self, packet):
        if packet is not None:
            if packet.kind == KIND_WORK:
                self.work = packet.append_to(self.work)
            else:
                self.devices = packet.append_to(self.devices)
        if self.work is not None:
            work = self.work
            if work.count >= 4:
                self.work = work.link
                return self.sched.send(work)
            if self.devices is not None:
                dev = self.devices
                self.devices = dev.link
                dev.count = work.data[work.count]
                work.count += 1
                return self.sched.send(dev)
        return self.sched.wait()


class DeviceTask(Task):
    def __init__(self, sched, ident, priority):
        super().__init__(sched, ident, priority, None)
        self.pending = None

    def step(self, packet):
        if packet is None:
            if self.pending is None:
                return self.sched.wait()
            p, self.pending = self.pending, None
            return self.sched.send(p)
        self.pending = packet
        self.sched.checksum = (self.sched.checksum * 31 + packet.count) % 1000003
        return self.sched.hold()


class Scheduler:
    def __init__(self):
        self.tasks = {}
        self.order = []
        self.current = None
        self.sends = 0
        self.holds = 0
        self.checksum = 0

    def add(self, task):
        self.tasks[task.ident] = task
        self.order.append(task)
        self.order.sort(key=lambda t: -t.priority)

    def release(self, ident):
        t = self.tasks[ident]
        t.held = False
        return t if t.priority > self.current.priority else self.current

    def hold(self):
        self.holds += 1
        self.current.held = True
        return None

    def wait(self):
        self.current.waiting = True
        return self.current

    def send(self, packet):
        self.sends += 1
        dest = self.tasks[packet.dest]
        packet.dest = self.current.ident
        return dest.deliver(packet)

    def run(self):
        steps = 0
        task = self.order[0]
        while task is not None:
            self.current = task
            if task.ready():
                packet = task.take_packet()
                nxt = task.step(packet)
                steps += 1
                task = nxt if nxt is not None and nxt.ready() else self.next_ready()
            else:
                task = self.next_ready()
        return steps

    def next_ready(self):
        for t in self.order:
            if t.ready():
                return t
        return None


def build(count):
    s = Scheduler()
    IdleTask(s, count)
    wq = Packet(None, IDLE, KIND_WORK)
    wq = Packet(wq, IDLE, KIND_WORK)
    WorkerTask(s, wq)
    for ident, prio in ((HANDLER_A, 2000), (HANDLER_B, 3000)):
        q = None
        for _ in range(3):
            q = Packet(q, DEVICE_A if ident == HANDLER_A else DEVICE_B, KIND_DEVICE)
        HandlerTask(s, ident, prio, q)
    DeviceTask(s, DEVICE_A, 4000)
    DeviceTask(s, DEVICE_B, 5000)
    return s


total = []
for count in (40000, 80000, 120000):
    sched = build(count)
    steps = sched.run()
    total.append((steps, sched.sends, sched.holds, sched.checksum))
print(total)
