"""Safe XML reading for partner files: no DTDs or entities, namespace-agnostic names."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from partners.formats.base import FormatError


def parse_xml(payload: bytes) -> ET.Element:
    head = payload[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in payload.lower():
        raise FormatError("DTDs and entities are not accepted in partner XML")
    try:
        return ET.fromstring(payload)
    except ET.ParseError as exc:
        line, column = exc.position
        raise FormatError(f"line {line}, column {column}: malformed XML ({exc})") from None
    except (LookupError, ValueError) as exc:
        raise FormatError(f"unreadable XML: {exc}") from None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(element: ET.Element, name: str) -> ET.Element | None:
    for node in element:
        if local(node.tag) == name:
            return node
    return None


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in element if local(node.tag) == name]


def descendants(element: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in element.iter() if local(node.tag) == name]
