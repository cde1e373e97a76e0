"""Safe XML reading for partner files: no DTDs or entities, namespace-agnostic names.

The refusal is the parser's (defusedxml, on expat's own events), not a search for bytes: a DTD is refused in every
encoding a document may declare — UTF-8, UTF-16 and UTF-32, with or without a byte-order mark, windows-1251.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from partners.formats.base import FormatError


def parse_xml(payload: bytes) -> ET.Element:
    try:
        return fromstring(payload, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FormatError("DTDs and entities are not accepted in partner XML") from None
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
