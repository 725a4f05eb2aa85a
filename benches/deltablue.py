"""A small one-way constraint solver in the spirit of DeltaBlue.

Variables are connected by constraints of different strengths (required,
strong, medium, weak). Adding an edit constraint plans an execution order:
every constraint picks an output variable not yet determined by a stronger
constraint (walk-about strength), then the plan is executed repeatedly while
the edited input changes. Object-heavy: many small objects, virtual method
calls, lists of references, dictionaries keyed by objects.
"""

REQUIRED, STRONG, MEDIUM, WEAK, WEAKEST = 0, 1, 2, 3, 4


class Variable:
    __slots__ = ("name", "value", "constraints", "determined_by", "walk_strength", "mark")

    def __init__(self, name, value=0.0):
        self.name = name
        self.value = value
        self.constraints = []
        self.determined_by = None
        self.walk_strength = WEAKEST
        self.mark = 0


class Constraint:
    def __init__(self, strength, variables):
        self.strength = strength
        self.variables = variables
        self.output = None
        for v in variables:
            v.constraints.append(self)

    def inputs(self):
        return [v for v in self.variables if v is not self.output]

    def choose_output(self, mark):
        # The weakest-determined variable not already fixed in this pass.
        best = None
        for v in self.variables:
            if v.mark != mark and (best is None or v.walk_strength > best.walk_strength):
                best = v
        if best is not None and (best.walk_strength > self.strength or best.determined_by is None):
            return best
        return None

    def execute(self):
        pass


class Stay(Constraint):
    def __init__(self, v, strength):
        super().__init__(strength, [v])


class Edit(Constraint):
    def __init__(self, v, strength):
        super().__init__(strength, [v])


class Equal(Constraint):
    def __init__(self, a, b, strength):
        super().__init__(strength, [a, b])

    def execute(self):
        src = self.variables[0] if self.output is self.variables[1] else self.variables[1]
        self.output.value = src.value


class Scale(Constraint):
    def __init__(self, src, scale, offset, dst, strength):
        super().__init__(strength, [src, dst])
        self.scale = scale
        self.offset = offset

    def execute(self):
        src, dst = self.variables
        if self.output is dst:
            dst.value = src.value * self.scale.value + self.offset.value
        else:
            src.value = (dst.value - self.offset.value) / self.scale.value


class Planner:
    def __init__(self):
        self.mark = 0
        self.constraints = []

    def add(self, c):
        self.constraints.append(c)
        return c

    def remove(self, c):
        self.constraints.remove(c)
        for v in c.variables:
            v.constraints.remove(c)

    def plan(self, sources):
        """Orders the constraints: strongest sources first, then propagation."""
        self.mark += 1
        mark = self.mark
        for c in self.constraints:
            c.output = None
        for v in {id(v): v for c in self.constraints for v in c.variables}.values():
            v.determined_by = None
            v.walk_strength = WEAKEST
        order = []
        todo = sorted(sources, key=lambda c: c.strength)
        while todo:
            c = todo.pop(0)
            if c.output is not None:
                continue
            out = c.choose_output(mark)
            if out is None:
                continue
            c.output = out
            out.mark = mark
            out.determined_by = c
            out.walk_strength = c.strength
            order.append(c)
            for next_c in out.constraints:
                if next_c is not c and next_c.output is None:
                    todo.append(next_c)
            todo.sort(key=lambda c: c.strength)
        return order


def chain_test(n, rounds):
    planner = Planner()
    vs = [Variable(f"v{i}") for i in range(n)]
    for a, b in zip(vs, vs[1:]):
        planner.add(Equal(a, b, REQUIRED))
    stay = planner.add(Stay(vs[-1], STRONG))
    edit = planner.add(Edit(vs[0], REQUIRED))
    plan = planner.plan([edit, stay])
    total = 0.0
    for i in range(rounds):
        vs[0].value = float(i)
        for c in plan:
            c.execute()
        total += vs[-1].value
    planner.remove(edit)
    return total, len(plan)


def projection_test(n, rounds):
    planner = Planner()
    scale = Variable("scale", 10.0)
    offset = Variable("offset", 1000.0)
    srcs, dsts, sources = [], [], []
    sources.append(planner.add(Stay(scale, REQUIRED)))
    sources.append(planner.add(Stay(offset, REQUIRED)))
    for i in range(n):
        src = Variable(f"src{i}", float(i))
        dst = Variable(f"dst{i}", float(i))
        srcs.append(src)
        dsts.append(dst)
        sources.append(planner.add(Stay(src, MEDIUM if i % 2 else WEAK)))
        planner.add(Scale(src, scale, offset, dst, REQUIRED))
    checksum = 0.0
    for r in range(rounds):
        edit = planner.add(Edit(dsts[r % n], STRONG))
        plan = planner.plan([edit] + sources)
        dsts[r % n].value = float(r * 3)
        for c in plan:
            c.execute()
        checksum += sum(s.value for s in srcs) + sum(d.value for d in dsts) * 0.001
        planner.remove(edit)
    return round(checksum, 6)


results = []
for _ in range(36):
    results = [chain_test(300, 400), projection_test(60, 60)]
print(results)
