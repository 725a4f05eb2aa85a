"""N-queens: count all solutions by backtracking with sets and recursion."""


def solve(n):
    cols, diag1, diag2 = set(), set(), set()

    def place(row):
        if row == n:
            return 1
        total = 0
        for c in range(n):
            if c in cols or row + c in diag1 or row - c in diag2:
                continue
            cols.add(c)
            diag1.add(row + c)
            diag2.add(row - c)
            total += place(row + 1)
            cols.remove(c)
            diag1.remove(row + c)
            diag2.remove(row - c)
        return total

    return place(0)


def permutation_queens(n):
    # A second formulation: generators over permutations, pruned per row.
    def extend(prefix):
        row = len(prefix)
        if row == n:
            yield tuple(prefix)
            return
        for c in range(n):
            if all(c != pc and abs(c - pc) != row - pr for pr, pc in enumerate(prefix)):
                prefix.append(c)
                yield from extend(prefix)
                prefix.pop()

    return extend([])


print([solve(n) for n in range(4, 12)])
for _ in range(60):
    sols = list(permutation_queens(8))
print(len(sols), sols[0], sols[-1])
