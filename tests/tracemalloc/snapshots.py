# Snapshots over real traces: filters, statistics by line and by file,
# comparing two snapshots, dump/load.
import os
import tempfile
import tracemalloc

HERE = os.path.basename(__file__)
tracemalloc.start(4)


def build(n):
    return [str(i) * 20 for i in range(n)]


def mine(snapshot):
    return snapshot.filter_traces([tracemalloc.Filter(True, __file__)])


first = mine(tracemalloc.take_snapshot())
data = build(2000)
second = mine(tracemalloc.take_snapshot())

# The biggest line is the comprehension in build().
top = second.statistics("lineno")[0]
print(os.path.basename(top.traceback[0].filename), top.traceback[0].lineno, top.count >= 2000, top.size > 2000 * 20)
files = second.statistics("filename")
print([os.path.basename(s.traceback[0].filename) for s in files])
tb_stats = second.statistics("traceback")[0]
print([(os.path.basename(f.filename), f.lineno) for f in tb_stats.traceback])

# compare_to: the new memory is at build()'s line.
diff = second.compare_to(first, "lineno")
d = diff[0]
print(d.traceback[0].lineno, d.size_diff > 2000 * 20, d.count_diff >= 2000)
print(str(d).startswith(HERE) or str(d).startswith(__file__))

# Excluding the line leaves nothing of that size.
rest = second.filter_traces([tracemalloc.Filter(False, __file__, 12)])
print(all(s.traceback[0].lineno != 12 for s in rest.statistics("lineno")))
print(sum(s.size for s in rest.statistics("lineno")) < top.size)

# all_frames: traces with this file anywhere in the traceback.
whole = tracemalloc.take_snapshot()
anywhere = whole.filter_traces([tracemalloc.Filter(True, __file__, all_frames=True)])
print(len(anywhere.traces) >= 2000)
# Domain 0 holds every object trace.
print(len(whole.filter_traces([tracemalloc.DomainFilter(False, 0)]).traces))

# Freed memory shows as a negative difference.
del data
third = mine(tracemalloc.take_snapshot())
back = third.compare_to(second, "lineno")
neg = [s for s in back if s.traceback[0].lineno == 12]
print(neg[0].size_diff < -2000 * 20, neg[0].size == 0 or neg[0].size < 10000)

# dump() and load() keep the traces.
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "snap")
    second.dump(path)
    loaded = tracemalloc.Snapshot.load(path)
print(loaded.traceback_limit, len(loaded.traces) == len(second.traces))
print(loaded.statistics("lineno")[0].traceback[0].lineno)
tracemalloc.stop()
