"""`strategy anyio [backend=asyncio|trio]`: anyio.to_thread.run_sync(
_interpreters.exec, ...) from an anyio event loop, reached through a blocking
portal (anyio.from_thread.start_blocking_portal), as a program that mixes
threads and an anyio loop calls it. The exec runs on anyio's worker threads
(reused, exiting after 10 s idle). Cancelling the portal's future cancels the
task; with abandon_on_cancel=True the call returns at once while the worker
stays inside _interpreters.exec (via=abandon). A cancel cannot stop a running
thread, so async_exc is not offered; via=flag cancels nothing in anyio (the
snippet's own flag stops it)."""
import threading

import _interpreters
import anyio.from_thread
import anyio.to_thread


class AnyioStrategy:
    def __init__(self, backend):
        self._workers = {}  # thread -> running calls (for lingering())
        self._lock = threading.Lock()
        self._portal_cm = anyio.from_thread.start_blocking_portal(backend)
        self._portal = self._portal_cm.__enter__()

    def _exec(self, iid, code):
        me = threading.current_thread()
        with self._lock:
            self._workers[me] = self._workers.get(me, 0) + 1
        try:
            return _interpreters.exec(iid, code)
        finally:
            with self._lock:
                self._workers[me] -= 1

    async def _call(self, iid, code):
        return await anyio.to_thread.run_sync(self._exec, iid, code, abandon_on_cancel=True)

    def submit(self, iid, code):
        return self._portal.start_task_soon(self._call, iid, code)

    def cancel(self, future, via):
        if via not in ('abandon', 'flag'):
            raise NotImplementedError('an anyio cancel cannot interrupt a thread (%s)' % via)
        if via == 'abandon':
            future.cancel()

    def before_destroy(self, iid):
        return True  # anyio's worker threads have nothing to wait for

    def shutdown(self):
        self._portal_cm.__exit__(None, None, None)

    def lingering(self):
        with self._lock:
            return [t.native_id for t, n in self._workers.items() if n == 0 and t.is_alive()]


def make(backend='asyncio'):
    return AnyioStrategy(backend)
