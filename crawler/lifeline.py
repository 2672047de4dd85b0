"""The crawl process dies with its parent: a `thads-monitor run` killed with SIGKILL (or crashing) must not leave
a Scrapy process crawling on as an orphan, holding feed leases and writing to the database unwatched.

On Linux the kernel sends SIGTERM the moment the parent goes (prctl PR_SET_PDEATHSIG); everywhere, a watcher
thread sees the parent change and does the same. SIGTERM makes Scrapy stop gracefully; if it has not ended
`grace_s` later, the process exits at once.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent_pid: int, *, check_every_s: float = 1.0, grace_s: float = 30.0) -> None:
    """Tie this process's life to `parent_pid` (the process that started it); call first thing in the child."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
                log.warning(
                    "prctl(PR_SET_PDEATHSIG) failed (errno %d): watching the parent instead", ctypes.get_errno()
                )
        except (OSError, AttributeError) as exc:
            log.warning("prctl unavailable (%s): watching the parent instead", exc)
    if os.getppid() != parent_pid:  # the parent died before the line above: nobody will read our output
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid, check_every_s, grace_s), name="parent-watch", daemon=True).start()


def _watch(parent_pid: int, check_every_s: float, grace_s: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(check_every_s)
    log.warning("the parent process %d is gone: stopping the crawl", parent_pid)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(grace_s)
    os._exit(1)


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux: /proc), for the checks that the crawl process ends with it."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    """Whether `pid` runs (Linux: /proc); a zombie left for a reaper that is not ours counts as ended."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
