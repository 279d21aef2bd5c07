"""Whether an uploaded CV is a plain PDF: one a PDF library can read, with no code in it.

A CV is opened by coordinators and employers on their own computers, so it must not carry
anything a PDF reader would run or open by itself. Links to web pages (/URI) and jumps inside
the document (/GoTo, /Named) stay allowed: CVs are full of them.

Refused, wherever they appear in the document (catalogue, pages, annotations, form fields,
outlines, /OpenAction, /AA additional actions, name trees):
- JavaScript (/JS, /JavaScript) and XFA forms (/XFA), which carry scripts of their own;
- actions that start programs or reach outside the document: /Launch, /SubmitForm,
  /ImportData, /GoToR, /GoToE, /Rendition (which can hold JavaScript), /RichMediaExecute;
- embedded and attached files (/EmbeddedFiles, /EF, file-attachment and rich-media annotations),
  which could bring along a program that the reader offers to open;
- files protected by a password, whose content cannot be checked.
"""

from __future__ import annotations

import enum
import io

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

FORBIDDEN_KEYS = frozenset({"/JS", "/JavaScript", "/XFA", "/EmbeddedFiles", "/EF", "/RichMedia"})
FORBIDDEN_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/RichMediaExecute",
    }
)
FORBIDDEN_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia", "/Screen"})


class PdfVerdict(enum.Enum):
    PLAIN = "plain"
    NOT_A_PDF = "not a pdf"
    PROTECTED = "protected by a password"
    ACTIVE_CONTENT = "scripts, actions or attached files"


def check_pdf(content: bytes) -> PdfVerdict:
    # A file only has to start like a PDF to pass a viewer's first glance; a page must be found
    # through the cross-reference table and the catalogue for it to be one.
    if not content.startswith(b"%PDF-"):
        return PdfVerdict.NOT_A_PDF
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            return PdfVerdict.PROTECTED
        if len(reader.pages) == 0:
            return PdfVerdict.NOT_A_PDF
        active = _has_active_content(reader)
    # A hostile or broken file can make the parser fail in many ways (PdfReadError, KeyError,
    # ValueError, RecursionError...): any of them means the file is not a PDF we can accept.
    except Exception:
        return PdfVerdict.NOT_A_PDF
    return PdfVerdict.ACTIVE_CONTENT if active else PdfVerdict.PLAIN


def _has_active_content(reader: PdfReader) -> bool:
    """Look once at every object: those reachable from the trailer, and those the
    cross-reference tables list even if nothing points to them (a repairing reader may find
    them)."""
    listed = [
        IndirectObject(number, generation, reader)
        for generation, numbers in reader.xref.items()
        for number in numbers
    ]
    listed += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen: set[tuple[int, int]] = set()
    waiting: list = [reader.trailer, *listed]
    while waiting:
        item = waiting.pop()
        if isinstance(item, IndirectObject):
            reference = (item.idnum, item.generation)
            if reference in seen:
                continue
            seen.add(reference)
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # a stream's dictionary is checked too
            if FORBIDDEN_KEYS.intersection(item.keys()):
                return True
            if _name(item, "/S") in FORBIDDEN_ACTIONS:
                return True
            if _name(item, "/Subtype") in FORBIDDEN_SUBTYPES:
                return True
            waiting.extend(item.values())
        elif isinstance(item, ArrayObject):
            waiting.extend(item)
    return False


def _name(dictionary: DictionaryObject, key: str) -> str | None:
    value = dictionary.get(key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return value if isinstance(value, NameObject) else None
