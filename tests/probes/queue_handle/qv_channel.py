# Probe: a channel id (what _interpchannels.create returns) as a queue item and a share.
import sys, _interpreters, _interpqueues as lq, _interpchannels as lc
V = sys.version_info[:2]
cid = lc.create(3)
qa = lq.create(0, 0, 3) if V < (3, 14) else lq.create(0, 3, 0)
b = _interpreters.create()
def row(k, v): print(f"{sys.version.split()[0]:8} {k:40} {v}")
row("create returns", (type(cid).__module__, type(cid).__name__, int(cid)))
try:
    lq.put(qa, cid, 0, 3) if V < (3, 14) else lq.put(qa, cid, 3, 0); row("put channel id into a queue", "ok")
    r = _interpreters.exec(b, f"import _interpqueues as lq\nx = lq.get({qa})[0]\nprint('   b got', type(x).__module__, type(x).__name__, int(x))")
    row("get in b", r if r is None else (r.type.__name__, r.msg))
except Exception as e: row("put channel id into a queue", f"{type(e).__name__}: {e}")
try:
    _interpreters.set___main___attrs(b, {'c': cid})
    r = _interpreters.exec(b, "print('   b share', type(c).__name__, int(c))"); row("share channel id", r if r is None else (r.type.__name__, r.msg))
except Exception as e: row("share channel id", f"{type(e).__name__}: {e}")
lq.put(qa, cid, 0, 3) if V < (3, 14) else lq.put(qa, cid, 3, 0)
lc.destroy(cid)
r = _interpreters.exec(b, f"import _interpqueues as lq\nx = lq.get({qa})[0]\nprint('   b got after destroy', type(x).__name__, int(x))")
row("get after the channel's destroy", r if r is None else (r.type.__name__, r.msg))
c = _interpreters.create()
cid2 = lc.create(3)
_interpreters.exec(c, f"import _interpqueues as lq, _interpchannels as lc, sys\nh = [x if type(x).__name__ == 'ChannelID' else x[0] for x in lc.list_all()]\nh = [x for x in h if int(x) == {int(cid2)}][0]\nprint('   c puts', type(h).__name__, int(h))\n" + (f"lq.put({qa}, h, 0, 1)" if V < (3, 14) else f"lq.put({qa}, h, 1, 0)"))
print("destroying the putter of a channel id", flush=True)
_interpreters.destroy(c)
row("destroy the putter of a channel id", "returned")
