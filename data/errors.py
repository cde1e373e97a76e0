"""Which failures are an outage (a store or the broker not answering: wait and try again) and which are about the
data (the same input fails the same way every time: isolate it). Only this package knows the storage clients'
exception types, so the question is answered here."""

from __future__ import annotations

import socket


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` says a store, the broker or the network did not answer, so the same work may succeed later.

    Everything else (a value out of range, a type the store refuses, a bug met by one record) is a data error."""
    if isinstance(exc, ConnectionError | TimeoutError | socket.timeout | socket.gaierror | BrokenPipeError):
        return True
    from kafka.errors import BrokerNotAvailableError, KafkaConnectionError, KafkaError, KafkaTimeoutError

    if isinstance(exc, KafkaConnectionError | KafkaTimeoutError | BrokerNotAvailableError):
        return True
    if isinstance(exc, KafkaError) and getattr(exc, "retriable", False):
        return True
    from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, OperationalError | DisconnectionError | InterfaceError | PoolTimeout):
        return True
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeout

    if isinstance(exc, RedisConnectionError | RedisTimeout):
        return True
    from clickhouse_connect.driver.exceptions import OperationalError as ClickHouseOperational

    from data.clickhouse.store import StoreUnavailable

    if isinstance(exc, ClickHouseOperational | StoreUnavailable):
        return True
    import requests

    return isinstance(exc, requests.ConnectionError | requests.Timeout)
