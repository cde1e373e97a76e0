"""Starting and stopping Wattboard: the ``wattboard`` command line, embedded services, the supervisor.

Lives here: the CLI (``cli``), the embedded Kafka-protocol broker and Valkey as child processes that
never outlive us (``embedded``), the one-process ``wattboard up`` (``supervisor``), the RQ worker and
scheduler loops (``rq_runner``), and friendly one-line errors (``errors``). May import every package.
"""
