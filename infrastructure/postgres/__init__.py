"""The event store on PostgreSQL: the library's recorder, extended where the library lets us.

factory.py    the infrastructure factory PERSISTENCE_MODULE names; refuses settings we cannot honour
datastore.py  the library's datastore, sweeping dead connections and failing fast while down
recorder.py   the application recorder: one write checked alone, then group committed
append.py     the statements that append events (one PL/pgSQL call, or one locked transaction)
reads.py      the recorder's queries, so that they retry our way
retries.py    which failures are retried, once, and which never are
"""
