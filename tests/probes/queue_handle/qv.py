# Probe: a queue handle (the high-level Queue object) as a value crossing interpreters.
import sys, _interpreters, _interpqueues as lq
V = sys.version_info[:2]
MOD = 'concurrent.interpreters._queues' if V >= (3, 14) else 'test.support.interpreters.queues'
M = __import__(MOD, fromlist=['Queue'])
def mkq():  # like the conductor: low level, no bind
    return lq.create(0, 0, 1) if V < (3, 14) else lq.create(0, 1, 0)
def put(qid, obj):
    return lq.put(qid, obj, 0, 1) if V < (3, 14) else lq.put(qid, obj, 1, 0)
def ids(): return sorted(x[0] for x in lq.list_all())
def run(i, code):
    r = _interpreters.exec(i, code)
    return None if r is None else (r.type.__name__ if hasattr(r,'type') else r, getattr(r,'msg',None))
HANDLE = f"__import__({MOD!r}, fromlist=['Queue']).Queue"
def row(name, val): print(f"{sys.version.split()[0]:8} {name:48} {val}")

a = _interpreters.create(); b = _interpreters.create()
q1 = mkq(); q2 = mkq()
row("created q1,q2 ids", (q1, q2, ids()))
# A: put from a a handle of q2 into q1, get in b
r = run(a, f"import _interpqueues as lq, sys\nh={HANDLE}({q2})\n" +
        (f"lq.put({q1}, h, 0, 1)" if V < (3,14) else f"lq.put({q1}, h, 1, 0)"))
row("A put handle(q2) into q1 from a", r)
row("A after put: list_all ids", ids())
row("A q1 count", lq.get_count(q1))
r = run(b, f"import _interpqueues as lq\nx=lq.get({q1})\nprint('   b got', type(x[0]).__module__, type(x[0]).__name__, getattr(x[0],'id',None), x[1:])\n")
row("A get in b", r)
row("A after get: list_all ids", ids())
# B: share a handle from main
q3 = mkq()
try:
    _interpreters.set___main___attrs(b, {'h': M.Queue(q3)})
    r = run(b, "print('   b h', type(h).__module__, type(h).__name__, h.id)")
    row("B share handle(q3) into b", r)
except Exception as e:
    row("B share handle(q3) into b", f"{type(e).__name__}: {e}")
row("B list_all ids", ids())
# C: call echo with a handle
q4 = mkq()
def echo(arg): return arg
try:
    res = _interpreters.call(b, echo, (M.Queue(q4),))
    row("C call echo(handle(q4))", res if not hasattr(res,'__len__') else res)
except Exception as e:
    row("C call echo(handle(q4))", f"{type(e).__name__}: {e}")
row("C list_all ids", ids())
# D: handle in flight, named queue destroyed
qa = mkq(); qb = mkq()
r = run(a, f"import _interpqueues as lq, sys\nh={HANDLE}({qb})\n" +
        (f"lq.put({qa}, h, 0, 1)" if V < (3,14) else f"lq.put({qa}, h, 1, 0)"))
row("D put handle(qb) into qa from a", r)
row("D qb in list_all after put?", qb in ids())
try:
    lq.destroy(qb); row("D destroy qb", "ok")
except Exception as e:
    row("D destroy qb", f"{type(e).__name__}: {e}")
r = run(b, f"import _interpqueues as lq\nx=lq.get({qa})\nprint('   b got', type(x[0]).__name__, getattr(x[0],'id',None), x[1:])\n")
row("D get in b after qb destroyed", r)
# D2: handle in flight, putter destroyed (unbound replace)
qc = mkq(); qd = mkq()
c = _interpreters.create()
run(c, f"import _interpqueues as lq, sys\nh={HANDLE}({qd})\n" +
        (f"lq.put({qc}, h, 0, 1)" if V < (3,14) else f"lq.put({qc}, h, 1, 0)"))
_interpreters.destroy(c)
r = run(b, f"import _interpqueues as lq\nx=lq.get({qc})\nprint('   b got', type(x[0]).__name__, getattr(x[0],'id',None), x[1:])\n")
row("D2 get after putter destroyed", r)
row("final list_all", ids())
