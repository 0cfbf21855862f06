"""The two formats of GeoReport v2: JSON, and XML with the spec's root and item elements.

XML is written with ElementTree (nothing is parsed: requests are form-encoded). Lists become
a wrapper element with one child per item, named as the spec names them (endpoints/endpoint,
formats/format, attributes/attribute, values/value).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

from civgrid.lib.text import clean_for_export

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
ITEM_TAGS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    # ElementTree would write a stored control character as is: malformed XML for the client.
    return str(clean_for_export(str(value)))


def _fill(parent: ET.Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        child = ET.SubElement(parent, key)
        if isinstance(value, dict):
            _fill(child, value)
        elif isinstance(value, list):
            item_tag = ITEM_TAGS.get(key, "item")
            for item in value:
                sub = ET.SubElement(child, item_tag)
                if isinstance(item, dict):
                    _fill(sub, item)
                else:
                    sub.text = _text(item)
        else:
            child.text = _text(value)


def to_xml(root: str, item: str | None, data: list[dict[str, Any]] | dict[str, Any]) -> bytes:
    """`<root><item>…</item>…</root>` for a list, `<root>…</root>` for one object."""
    top = ET.Element(root)
    if isinstance(data, list):
        for row in data:
            _fill(ET.SubElement(top, item or "item"), row)
    else:
        _fill(top, data)
    body: bytes = ET.tostring(top, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def respond(
    fmt: str,
    data: list[dict[str, Any]] | dict[str, Any],
    *,
    root: str,
    item: str | None = None,
    status: int = 200,
) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode()
        return HttpResponse(body, content_type=JSON_TYPE, status=status)
    return HttpResponse(to_xml(root, item, data), content_type=XML_TYPE, status=status)


def errors(fmt: str, status: int, *messages: str) -> HttpResponse:
    """The spec's error body: a list of {code, description}, `<errors><error>` in XML."""
    rows = [{"code": status, "description": message} for message in messages]
    return respond(fmt, rows, root="errors", item="error", status=status)
