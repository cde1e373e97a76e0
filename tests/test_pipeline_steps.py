"""The consumer's steps one by one (no broker, no store): decode, validate, route, accumulate, write with its
outage/data-error split and bisection, the hooks after a write, the writer thread, the commit."""

from __future__ import annotations

import base64
import threading

import pytest

from pipeline.steps import Accumulate, Decode, Route, Validate
from pipeline.types import Batch, Done, Invalid, Item, Letter, Message, Stopped
from pipeline.write import AfterWrite, Commit, RunInThread, Write


class Collect:
    """The end of a chain in a test: keeps what it is handed."""

    def __init__(self) -> None:
        self.got: list = []
        self.joined = 0

    def submit(self, value) -> None:
        self.got.append(value)

    def poll(self) -> None:
        return None

    def join(self) -> None:
        self.joined += 1

    def close(self) -> None:
        return None


def message(offset: int, value: bytes = b"ok", topic: str = "t", partition: int = 0) -> Message:
    return Message(topic, partition, offset, value)


class Letters:
    def __init__(self, fail_times: int = 0) -> None:
        self.sent: list[Letter] = []
        self.fail_times = fail_times

    def send(self, letters: list[Letter]) -> None:
        if self.fail_times:
            self.fail_times -= 1
            raise ConnectionRefusedError("broker down")
        self.sent.extend(letters)


class Sink:
    """Writes items whose value is not b"poison"; a write with a poison item fails as the store would (a data error).
    ``outages`` first writes fail as if the store did not answer; ``probe_down`` probes fail likewise."""

    def __init__(self, outages: int = 0, probe_down: int = 0) -> None:
        self.written: list[int] = []
        self.calls = 0
        self.outages, self.probe_down = outages, probe_down

    def write(self, items: list[Item]) -> dict:
        self.calls += 1
        if self.outages:
            self.outages -= 1
            raise TimeoutError("store timed out")
        if any(item.message.value == b"poison" for item in items):
            raise ValueError("year 33658 is out of range")
        self.written.extend(item.message.offset for item in items)
        return {"rows": len(items)}

    def merge(self, lane: str, results: list) -> int:
        return sum(results)

    def probe(self) -> None:
        if self.probe_down:
            self.probe_down -= 1
            raise ConnectionRefusedError("store down")


def batch_of(values: list[bytes]) -> Batch:
    batch = Batch()
    for n, value in enumerate(values):
        batch.add(Item(message(n, value), payload=value))
    return batch


def fast_write(sink: Sink, letters: Letters, stop: threading.Event | None = None) -> Write:
    return Write(sink, letters, stop or threading.Event(), name="test")


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch) -> None:
    """Backoff delays of a millisecond: the tests count attempts, not seconds."""
    monkeypatch.setattr("pipeline.outage.FIRST_DELAY_S", 0.001)


# -- decode ---------------------------------------------------------------------------------------------------------
def test_decode_turns_a_bad_message_into_a_dead_letter_and_passes_the_rest() -> None:
    out = Collect()

    def decoder(m: Message) -> Item:
        if m.value == b"bad":
            raise Invalid("not a batch", partner="p", batch="b")
        if m.value == b"bug":
            raise KeyError("missing")
        return Item(m, payload=m.value)

    step = Decode({"t": decoder}, out)
    for n, value in enumerate([b"ok", b"bad", b"bug"]):
        step.submit(message(n, value))
    step.submit(message(3, topic="elsewhere"))
    good, bad, bug, unknown = out.got
    assert good.payload == b"ok" and not good.letters
    assert bad.payload is None and bad.letters[0].reason == "not a batch" and bad.letters[0].partner == "p"
    assert bug.payload is None and bug.letters[0].reason.startswith("undecodable message: KeyError")
    assert unknown.letters[0].reason == "no decoder for topic 'elsewhere'"


# -- validate -------------------------------------------------------------------------------------------------------
def test_validate_waits_out_a_store_that_does_not_answer_and_refuses_what_is_invalid() -> None:
    out, attempts = Collect(), []

    def validator(item: Item) -> None:
        attempts.append(item.message.offset)
        if item.message.offset == 0 and attempts.count(0) < 3:
            raise ConnectionRefusedError("database down")
        if item.message.offset == 1:
            raise Invalid("unknown metering point 'X'")
        if item.message.offset == 2:
            raise ZeroDivisionError("a bug")

    step = Validate({"t": validator}, out, threading.Event())
    for n in range(3):
        step.submit(Item(message(n), payload=n))
    assert attempts.count(0) == 3 and out.got[0].payload == 0 and not out.got[0].letters
    assert out.got[1].payload is None and out.got[1].letters[0].reason == "unknown metering point 'X'"
    assert out.got[2].payload is None and out.got[2].letters[0].reason.startswith("not validated: ZeroDivisionError")


def test_validate_stops_when_asked_during_an_outage() -> None:
    stop = threading.Event()
    stop.set()

    def down(_item: Item) -> None:
        raise ConnectionRefusedError("database down")

    with pytest.raises(Stopped):
        Validate({"t": down}, Collect(), stop).submit(Item(message(0), payload=1))


# -- route ----------------------------------------------------------------------------------------------------------
def test_route_names_a_lane_only_for_what_is_to_be_written() -> None:
    out = Collect()
    step = Route(lambda item: f"lane-{item.message.topic}", out)
    step.submit(Item(message(0), payload=1))
    step.submit(Item(message(1)).reject("bad"))
    assert [item.lane for item in out.got] == ["lane-t", ""]


# -- accumulate -----------------------------------------------------------------------------------------------------
def test_accumulate_hands_on_by_size_by_age_and_when_joined() -> None:
    out, now = Collect(), [0.0]
    step = Accumulate(out, max_size=3, max_wait_s=1.0, clock=lambda: now[0])
    for n in range(4):
        step.submit(Item(message(n, partition=n % 2), payload=n))
    assert len(out.got) == 1 and out.got[0].offsets == {("t", 0): 2, ("t", 1): 1}  # full at three rows
    step.poll()
    assert len(out.got) == 1  # the fourth is young
    now[0] = 1.5
    step.poll()
    assert len(out.got) == 2 and out.got[1].offsets == {("t", 1): 3}
    step.submit(Item(message(4)).reject("bad"))  # a dead letter adds no rows but its offset counts
    step.join()
    assert len(out.got) == 3 and out.got[2].offsets == {("t", 0): 4} and out.got[2].size == 0


# -- write ----------------------------------------------------------------------------------------------------------
def test_one_poison_record_is_set_aside_and_every_other_record_is_written() -> None:
    sink, letters = Sink(), Letters()
    values = [b"ok"] * 37 + [b"poison"] + [b"ok"] * 25
    done = fast_write(sink, letters)(batch_of(values))
    assert sorted(sink.written) == [n for n in range(63) if n != 37]
    assert [(letter.message.offset, letter.reason) for letter in letters.sent] == [
        (37, "not written: ValueError: year 33658 is out of range")
    ]
    assert done.result == {"rows": 62} and sink.calls <= 2 * 7 + 1  # bisection: a logarithmic number of writes


def test_several_poison_records_anywhere_are_each_isolated() -> None:
    sink, letters = Sink(), Letters()
    values = [b"poison" if n in (0, 5, 6, 19) else b"ok" for n in range(20)]
    fast_write(sink, letters)(batch_of(values))
    assert sorted(letter.message.offset for letter in letters.sent) == [0, 5, 6, 19]
    assert sorted(sink.written) == [n for n in range(20) if n not in (0, 5, 6, 19)]


def test_an_outage_is_waited_out_and_nothing_is_set_aside() -> None:
    sink, letters = Sink(outages=3), Letters()
    done = fast_write(sink, letters)(batch_of([b"ok"] * 5))
    assert sink.calls == 4 and sorted(sink.written) == [0, 1, 2, 3, 4] and not letters.sent
    assert done.result == {"rows": 5}


def test_a_failure_while_the_store_does_not_answer_is_an_outage_not_bad_data() -> None:
    """A store that refuses with an error we do not classify, and then does not answer the probe: wait, write again
    whole, set nothing aside."""
    sink, letters = Sink(probe_down=2), Letters()
    original = sink.write
    failures = [1]

    def odd_failure(items: list[Item]) -> dict:
        if failures[0]:
            failures[0] -= 1
            raise RuntimeError("Code: 999. Unclassified")
        return original(items)

    sink.write = odd_failure  # type: ignore[method-assign]  # a sink that fails on odd batches
    fast_write(sink, letters)(batch_of([b"ok"] * 4))
    assert sorted(sink.written) == [0, 1, 2, 3] and not letters.sent


def test_letters_are_sent_after_the_write_and_retried_through_a_broker_outage() -> None:
    sink, letters = Sink(), Letters(fail_times=2)
    batch = batch_of([b"ok", b"poison"])
    batch.items[0].letters.append(Letter("negative consumption", batch.items[0].message, [1, -1.0, 0]))
    done = fast_write(sink, letters)(batch)
    assert [letter.reason for letter in letters.sent] == ["negative consumption", done.letters[1].reason]
    assert sink.written == [0]


def test_a_write_stops_when_asked_during_a_long_outage() -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(Stopped):
        fast_write(Sink(outages=100), Letters(), stop)(batch_of([b"ok"]))


# -- after-write hooks ----------------------------------------------------------------------------------------------
def test_hooks_run_by_lane_and_a_failing_hook_stops_neither_the_others_nor_the_write() -> None:
    hooks, seen = AfterWrite(), []

    def broken(_result: object) -> None:
        raise ConnectionRefusedError("redis down")

    hooks.on("readings", broken, "broken")
    hooks.on("readings", lambda r: seen.append(("readings", r)))
    hooks.on("devices", lambda r: seen.append(("devices", r)))
    done = Done(Batch(), {"readings": 5})
    assert hooks(done) is done
    assert seen == [("readings", 5)]


# -- the writer thread and the commit -------------------------------------------------------------------------------
def test_the_writer_thread_hands_on_in_order_and_the_commit_takes_the_next_offsets() -> None:
    committed: list[dict] = []
    commit = Commit(committed.append)
    step = RunInThread(lambda batch: Done(batch), commit)
    for start in (0, 3):
        batch = Batch()
        for n in range(start, start + 3):
            batch.add(Item(message(n, partition=n % 2), payload=n))
        step.submit(batch)
    step.join()
    step.close()
    assert committed == [{("t", 0): 3, ("t", 1): 2}, {("t", 1): 6, ("t", 0): 5}]


def test_a_writer_that_gave_up_stops_the_pipeline_without_a_commit() -> None:
    committed: list[dict] = []

    def gave_up(_batch: Batch) -> Done:
        raise Stopped("stopped during an outage")

    step = RunInThread(gave_up, Commit(committed.append))
    step.submit(batch_of([b"ok"]))
    with pytest.raises(Stopped):
        step.join()
    step.close()
    assert committed == []


def test_a_failed_commit_is_only_a_replay_later() -> None:
    def refuse(_offsets: dict) -> None:
        raise ConnectionRefusedError("coordinator moved")

    commit = Commit(refuse)
    commit.submit(Done(batch_of([b"ok"])))
    assert commit.committed == {}


# -- dead letters ---------------------------------------------------------------------------------------------------
def test_a_dead_letter_keeps_a_binary_message_whole_for_replay() -> None:
    binary = b"WBC1\x00\x01\xff\xfe"
    letter = Letter("not written", Message("wattboard.readings", 2, 41, binary)).as_json()
    assert letter["raw"] is None and base64.b64decode(letter["raw_b64"]) == binary
    assert (letter["topic"], letter["partition"], letter["offset"]) == ("wattboard.readings", 2, 41)
    text = Letter("not JSON", Message("t", 0, 1, b"{oops")).as_json()
    assert text["raw"] == "{oops" and "raw_b64" not in text
