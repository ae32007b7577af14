"""`strategy actor cancel_bound_ms=N join_bound_ms=N`: the actor runtime's
fixed backend. Each exec runs on a one-shot threading.Thread; a cancel goes
through a flag (the snippet's cooperative flag) and is given cancel_bound_ms
to take effect; the thread is then joined for at most join_bound_ms; past
the bounds the runtime logs the InterpreterError its destroy would raise
("interpreter running") and leaves the interpreter: before_destroy() returns
False and the conductor counts it abandoned (the hard kill). Abandon just
stops waiting; async exceptions are not offered (SIGINT and async exceptions
never reach a subinterpreter's thread from the main interpreter)."""
import concurrent.futures
import sys
import threading
import time

import _interpreters


class Actor:
    def __init__(self, cancel_bound_ms, join_bound_ms):
        self._cancel_bound = cancel_bound_ms / 1000
        self._join_bound = join_bound_ms / 1000
        self._threads = {}    # interpreter id -> [(thread, future)]
        self._cancelled = {}  # future -> when the cancel was sent

    def submit(self, iid, code):
        future = concurrent.futures.Future()
        future.set_running_or_notify_cancel()

        def run():
            try:
                future.set_result(_interpreters.exec(iid, code))
            except BaseException as e:
                future.set_exception(e)

        t = threading.Thread(target=run, name='actor-exec-%d' % iid)
        self._threads.setdefault(iid, []).append((t, future))
        t.start()
        return future

    def cancel(self, future, via):
        if via == 'async_exc':
            raise NotImplementedError('the actor backend cancels through a flag, not an async exception')
        self._cancelled[future] = time.monotonic()

    def before_destroy(self, iid):
        settled = True
        for t, future in self._threads.pop(iid, []):
            sent = self._cancelled.get(future)
            if sent is not None:
                try:
                    future.exception(timeout=max(0, sent + self._cancel_bound - time.monotonic()))
                except concurrent.futures.TimeoutError:
                    pass
            t.join(self._join_bound)
            if t.is_alive():
                print('actor: InterpreterError: interpreter %d running after the join bound; '
                      'left alive' % iid, file=sys.stderr)
                settled = False
        return settled

    def shutdown(self):
        for threads in self._threads.values():
            for t, _ in threads:
                t.join(self._join_bound)


def make(cancel_bound_ms='1000', join_bound_ms='1000'):
    return Actor(int(cancel_bound_ms), int(join_bound_ms))
