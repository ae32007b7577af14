"""`strategy threadpool workers=N`: concurrent.futures.ThreadPoolExecutor
running _interpreters.exec, as its users write it. Workers are non-daemon,
have no idle timeout and are joined at shutdown. A running call cannot be
interrupted: Future.cancel() only stops calls not yet started, so only
`abandon` (stop waiting) and `flag` (the snippet's own flag) are offered."""
import concurrent.futures

import _interpreters


class ThreadPool:
    def __init__(self, workers):
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)

    def submit(self, iid, code):
        return self._pool.submit(_interpreters.exec, iid, code)

    def cancel(self, future, via):
        if via == 'async_exc':
            raise NotImplementedError('ThreadPoolExecutor cannot interrupt a running call')
        future.cancel()  # only a call that has not started yet

    def before_destroy(self, iid):
        return True

    def shutdown(self):
        self._pool.shutdown(wait=True)


def make(workers='1'):
    return ThreadPool(int(workers))
