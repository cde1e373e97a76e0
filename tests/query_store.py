"""Run one ClickHouse query against a chDB data directory in its own process and print JSON.

chDB opens one data directory per process, and the test process already has its own open, so a
test that checks what another process stored asks through this: ``python -m tests.query_store DIR SQL``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from data.clickhouse.store import ChdbStore


def main() -> None:
    store = ChdbStore(Path(sys.argv[1]))
    frame = store.query_df(sys.argv[2])
    print(json.dumps(frame.astype(object).where(frame.notna(), None).values.tolist(), default=str))
    store.close()


if __name__ == "__main__":
    main()
