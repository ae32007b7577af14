# Probe: what a receiver that never imported the Queue module gets for a handle
# item, and whether that get fails once the named queue is destroyed.
import sys, _interpreters, _interpqueues as lq
V = sys.version_info[:2]
MOD = 'concurrent.interpreters._queues' if V >= (3, 14) else 'test.support.interpreters.queues'
mk = (lambda: lq.create(0, 0, 3)) if V < (3, 14) else (lambda: lq.create(0, 3, 0))
a, b, c = (_interpreters.create() for _ in range(3))
for destroyed in (False, True):
    qa, qb = mk(), mk()
    put = f"lq.put({qa}, h, 0, 3)" if V < (3, 14) else f"lq.put({qa}, h, 3, 0)"
    _interpreters.exec(a, f"import _interpqueues as lq\nh=__import__({MOD!r}, fromlist=['Queue']).Queue({qb})\n{put}\n")
    if destroyed: lq.destroy(qb)
    rcv = b if not destroyed else c
    r = _interpreters.exec(rcv, f"import _interpqueues as lq, sys\nx = lq.get({qa})[0]\nprint({sys.version.split()[0]!r}, 'qb destroyed' if {destroyed} else 'qb alive', 'fresh receiver got', type(x).__module__, type(x).__name__, x, {MOD!r} in sys.modules)\n")
    if r is not None: print(sys.version.split()[0], 'qb destroyed' if destroyed else 'qb alive', 'fresh receiver get:', r.type.__name__, r.msg)
