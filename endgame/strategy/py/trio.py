"""`strategy trio`: trio.to_thread.run_sync(_interpreters.exec, ...) from a
trio loop thread, as a trio actor runtime calls it: the exec runs on trio's
thread cache (daemon workers, reused, exiting after 10 s idle). Cancel goes
through the call's cancel scope; with abandon_on_cancel=True the call returns
at once while the worker stays inside _interpreters.exec (via=abandon). A
cancel scope cannot stop a running thread, so async_exc is not offered;
via=flag cancels nothing in trio (the snippet's own flag stops it)."""
import concurrent.futures
import threading

import _interpreters
import trio


class TrioStrategy:
    def __init__(self):
        self._ready = threading.Event()
        self._scopes = {}      # future -> the trio call's CancelScope
        self._workers = {}     # thread -> running calls (for lingering())
        self._lock = threading.Lock()
        # Daemon: in a trio program the loop is the main thread and has returned
        # before Py_FinalizeEx; a non-daemon loop thread would make `finalize`
        # wait for it forever (982df3f75959, "hang in finalize", was that).
        self._thread = threading.Thread(target=trio.run, args=(self._main,), name='trio-loop', daemon=True)
        self._thread.start()
        self._ready.wait()

    async def _main(self):
        self._token = trio.lowlevel.current_trio_token()
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            self._stop = trio.Event()
            self._ready.set()
            await self._stop.wait()
            nursery.cancel_scope.cancel()

    def _exec(self, iid, code):
        me = threading.current_thread()
        with self._lock:
            self._workers[me] = self._workers.get(me, 0) + 1
        try:
            return _interpreters.exec(iid, code)
        finally:
            with self._lock:
                self._workers[me] -= 1

    async def _call(self, future, iid, code):
        with trio.CancelScope() as scope:
            self._scopes[future] = scope
            try:
                result = await trio.to_thread.run_sync(self._exec, iid, code, abandon_on_cancel=True)
            except BaseException as e:
                if not isinstance(e, trio.Cancelled):
                    future.set_exception(e)
                    return
                raise
            future.set_result(result)
            return
        future.set_exception(concurrent.futures.CancelledError('trio call cancelled (abandon_on_cancel=True)'))

    def submit(self, iid, code):
        future = concurrent.futures.Future()
        future.set_running_or_notify_cancel()
        self._token.run_sync_soon(self._nursery.start_soon, self._call, future, iid, code)
        return future

    def cancel(self, future, via):
        if via != 'abandon' and via != 'flag':
            raise NotImplementedError('a trio cancel scope cannot interrupt a thread (%s)' % via)
        if via == 'abandon':
            self._token.run_sync_soon(lambda: self._scopes[future].cancel())

    def before_destroy(self, iid):
        return True  # trio's thread cache has nothing to wait for

    def shutdown(self):
        self._token.run_sync_soon(self._stop.set)
        self._thread.join()

    def lingering(self):
        with self._lock:
            return [t.native_id for t, n in self._workers.items() if n == 0 and t.is_alive()]


def make():
    return TrioStrategy()
