# The user-defined strategy of docs/strategies.md (the docs hold this file's
# code; tests/tools/docs_strategy_example_test.sh checks they are the same).
import concurrent.futures, threading
import _interpreters

class OneThreadPerExec:
    """Each exec on a fresh thread; joined, with a bound, before destroy."""
    def __init__(self, join_s):
        self.join_s, self.threads = join_s, {}  # interpreter id -> threads

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
        if via not in ('flag', 'abandon'):  # the conductor raises the flag
            raise NotImplementedError(via)

    def before_destroy(self, interp_id):
        for t in self.threads.pop(interp_id, []):
            t.join(self.join_s)
            if t.is_alive():
                return False  # abandoned: the interpreter is left alone
        return True

    def shutdown(self):
        for t in [t for ts in self.threads.values() for t in ts]:
            t.join(self.join_s)

def make(join_ms='1000'):
    return OneThreadPerExec(int(join_ms) / 1000)
