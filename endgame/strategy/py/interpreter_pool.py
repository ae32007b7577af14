"""`strategy interpreter_pool workers=N`: 3.14's
concurrent.futures.InterpreterPoolExecutor. Each worker thread creates, owns
and finalizes its own interpreter, so submit(interp_id, code) runs `code` in
the worker's interpreter, not in interp_id: the scenario's interpreter is only
the key for before_destroy. Shutdown cannot cancel a running task; only
`abandon` (stop waiting) and `flag` are offered."""
import functools
from concurrent.futures import InterpreterPoolExecutor  # 3.14+


class InterpreterPool:
    def __init__(self, workers):
        self._pool = InterpreterPoolExecutor(max_workers=workers)

    def submit(self, iid, code):
        return self._pool.submit(functools.partial(exec, code, {'__name__': '__main__'}))

    def cancel(self, future, via):
        if via == 'async_exc':
            raise NotImplementedError('InterpreterPoolExecutor cannot interrupt a running task')
        future.cancel()

    def before_destroy(self, iid):
        return True

    def shutdown(self):
        self._pool.shutdown(wait=True)


def make(workers='1'):
    return InterpreterPool(int(workers))
