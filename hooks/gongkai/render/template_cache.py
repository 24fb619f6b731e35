"""Compiled Jinja templates kept in memory for the life of the process.

``mkdocs serve`` reloads the configuration on every rebuild, and with it a new
Jinja environment for the theme, so Material's ~30 templates would be compiled
again for each preview. Jinja stores the compiled code here instead and checks
each template's source checksum before reusing it, so an edited template is
compiled afresh and the output never differs.
"""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._store.clear()


#: shared by every build in this process (a module outlives MkDocs' reloads of the hook file)
CACHE = MemoryBytecodeCache()
