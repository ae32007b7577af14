"""os.fork() in the main interpreter with a subinterpreter alive (gh-139759).

Usage: python3.X fork_main.py exit|finalize 0|1
  exit|finalize  the child leaves with os._exit(0), or with sys.exit(0)
                 (Py_FinalizeEx)
  0|1            the subinterpreter is idle, or runs an exec on a thread
Prints the child's wait status. Measured (tests/surface/fork_main_*.scn):
the child dies inside os.fork() in all four cases, so how it would leave
does not matter: 3.13.15 release with "Fatal Python error: PyThreadState_Get:
the function must be called with the GIL held" (SIGABRT), 3.13.15 debug,
3.14.10 and 3.15.2 (release and debug) with SIGSEGV.
"""
import os
import sys
import threading
import time

import _interpreters as xi

mode = sys.argv[1]
running = sys.argv[2] == "1"
iid = xi.create()
xi.exec(iid, "x = 1")
t = None
if running:
    t = threading.Thread(target=xi.exec, args=(iid, "import time; time.sleep(1)"))
    t.start()
    time.sleep(0.1)
pid = os.fork()
if pid == 0:
    if mode == "exit":
        os._exit(0)
    sys.exit(0)
_, st = os.waitpid(pid, 0)
how = f"signal {os.WTERMSIG(st)}" if os.WIFSIGNALED(st) else f"exit {os.WEXITSTATUS(st)}"
print(sys.version.split()[0], mode, "running" if running else "idle", "child:", how)
if t:
    t.join()
xi.destroy(iid)
