"""Row versions and change detection, shared by every backend.

- WRITE_INTENT marks a transaction that will write; each backend takes its write lock for it up
  front (SQLite: ``BEGIN IMMEDIATE``, see ``sqlite.make_engine``).
"""

from __future__ import annotations

#: Execution option of a read-modify-write transaction (True): the backend locks for writing as
#: the transaction begins, so a concurrent writer makes it wait rather than fail.
WRITE_INTENT = "capex_write_intent"

#: How long a writer waits for another connection's write lock before its change is refused
#: (seconds; SQLite's busy timeout). Our own write transactions last milliseconds (a paste of
#: 10,000 rows well under a second), so waiting this long means another program holds the lock
#: for a long job or is stuck. Five seconds outlasts every transaction this app makes, while a
#: window that froze for longer would look hung. A change that times out is refused with a
#: message and nothing of it is written.
LOCK_WAIT_S = 5.0
