# The user-defined strategy of docs/strategies.md (kept identical; a test runs it):
# each exec on a fresh thread, abandon = stop waiting, joined before destroy.
import concurrent.futures
import threading

import _interpreters


class OneThreadPerExec:
    def __init__(self, join_s):
        self.join_s = join_s
        self.threads = {}  # interpreter id -> [threads]

    def submit(self, interp_id, code):
        future = concurrent.futures.Future()
        future.set_running_or_notify_cancel()

        def run():
            try:
                future.set_result(_interpreters.exec(interp_id, code))
            except BaseException as e:
                future.set_exception(e)

        t = threading.Thread(target=run)
        self.threads.setdefault(interp_id, []).append(t)
        t.start()
        return future

    def cancel(self, future, via):
        if via not in ('flag', 'abandon'):
            raise NotImplementedError(via)

    def before_destroy(self, interp_id):
        for t in self.threads.pop(interp_id, []):
            t.join(self.join_s)
            if t.is_alive():
                return False  # abandoned: the conductor leaves the interpreter
        return True

    def shutdown(self):
        for ts in self.threads.values():
            for t in ts:
                t.join(self.join_s)


def make(join_ms='1000'):
    return OneThreadPerExec(int(join_ms) / 1000)
