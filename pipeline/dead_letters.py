"""The letter box of a pipeline: dead letters to a topic, each with its reason and the message it came from."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from data.errors import is_outage
from data.messaging.broker import encode
from pipeline.types import Letter

log = logging.getLogger(__name__)


class DeadLetterTopic:
    """Sends letters with ``producer`` to ``topic``. A letter the broker refuses for what it holds (too large, say) is
    sent again without the raw message; an outage is raised, for the writer to wait out."""

    def __init__(self, producer: Any, topic: str, on_sent: Callable[[Letter], None] | None = None) -> None:
        self.producer, self.topic, self.on_sent = producer, topic, on_sent

    def send(self, letters: list[Letter]) -> None:
        sent = [(letter, letter.as_json()) for letter in letters]
        futures = [self._send(body) for _, body in sent]
        self.producer.flush(timeout=10)
        for (letter, body), future in zip(sent, futures, strict=True):
            try:
                future.get(timeout=10)
            except Exception as exc:
                if is_outage(exc):
                    raise
                log.error("dead letter refused by the broker (%s); sent without its raw message", exc)
                self._send(_reduced(body)).get(timeout=10)
            if self.on_sent is not None:
                self.on_sent(letter)

    def _send(self, body: dict[str, Any]) -> Any:
        try:
            return self.producer.send(self.topic, encode(body))
        except Exception as exc:  # refused before it left (larger than the producer's limit)
            if is_outage(exc):
                raise
            log.error("dead letter refused by the producer (%s); sent without its raw message", exc)
            return self.producer.send(self.topic, encode(_reduced(body)))


def _reduced(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "raw": None, "raw_b64": None, "record": None}
