# Probe: an interpreter puts a queue handle (Queue object of queue B) into queue A,
# then is destroyed. OP = the unbound op of the item (1 remove, 2 error, 3 replace).
import sys, _interpreters, _interpqueues as lq
OP = int(sys.argv[1])
V = sys.version_info[:2]
MOD = 'concurrent.interpreters._queues' if V >= (3, 14) else 'test.support.interpreters.queues'
mk = (lambda: lq.create(0, 0, OP)) if V < (3, 14) else (lambda: lq.create(0, OP, 0))
qa, qb = mk(), mk()
c = _interpreters.create()
put = f"lq.put({qa}, h, 0, {OP})" if V < (3, 14) else f"lq.put({qa}, h, {OP}, 0)"
print(_interpreters.exec(c, f"import _interpqueues as lq\nh=__import__({MOD!r}, fromlist=['Queue']).Queue({qb})\n{put}\n"))
print(sys.version.split()[0], "op", OP, "destroying the putter", flush=True)
_interpreters.destroy(c)
print("destroyed; qa count", lq.get_count(qa), "queues", [x[0] for x in lq.list_all()], flush=True)
