"""The API's OpenAPI 3 document, written out by hand: it is short, and its tests check every
answer against it (tests/test_open_data_schema.py)."""

from __future__ import annotations

from marketplace.mentors.models import Expertise
from marketplace.open_data import API_PREFIX
from marketplace.open_data.params import LARGEST_PAGE, PER_PAGE_DEFAULT, PER_PAGE_MAX
from marketplace.postings.models import PostingKind

NULLABLE_DATE = {"type": "string", "format": "date", "nullable": True}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _page_of(item: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "has_next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX},
            "has_next": {"type": "boolean"},
        },
    }


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SITE = {
    "name": "site",
    "in": "query",
    "description": "A site's short name, such as riga.",
    "schema": {"type": "string", "maxLength": 40},
}
PAGING = [
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": LARGEST_PAGE, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": PER_PAGE_MAX,
            "default": PER_PAGE_DEFAULT,
        },
    },
]


def _day(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": {"type": "string", "format": "date"},
    }


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Mentoring marketplace: open data",
            "version": "1",
            "description": (
                "Published postings and upcoming events for anyone; a site's indicators "
                "(anonymous: only participants who agreed to share with funders, counts of "
                "fewer than 5 people hidden) for partner systems with a token."
            ),
        },
        "servers": [{"url": API_PREFIX}],
        "paths": {
            "/postings": {
                "get": {
                    "summary": "Postings open for applications, newest first",
                    "operationId": "listPostings",
                    "parameters": [
                        SITE,
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"type": "string", "maxLength": 100},
                        },
                        {
                            "name": "kind",
                            "in": "query",
                            "schema": {"type": "string", "enum": [k.value for k in PostingKind]},
                        },
                        {
                            "name": "area",
                            "in": "query",
                            "schema": {"type": "string", "enum": [a.value for a in Expertise]},
                        },
                        {
                            "name": "city",
                            "in": "query",
                            "schema": {"type": "string", "maxLength": 80},
                        },
                        *PAGING,
                    ],
                    "responses": {
                        "200": _json(_page_of("Posting"), "A page of postings"),
                        "400": _error("A parameter the API cannot use"),
                    },
                }
            },
            "/postings/{posting_id}": {
                "get": {
                    "summary": "One published posting",
                    "operationId": "getPosting",
                    "parameters": [
                        {
                            "name": "posting_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 0},
                        }
                    ],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Posting"}, "The posting"),
                        "404": _error("No published posting has this number"),
                    },
                }
            },
            "/events": {
                "get": {
                    "summary": "Events not over yet (or starting in the days asked for)",
                    "operationId": "listEvents",
                    "parameters": [
                        SITE,
                        _day("from", "The first day, in the site's time zone (UTC for all)."),
                        _day("to", "The last day, included."),
                        *PAGING,
                    ],
                    "responses": {
                        "200": _json(_page_of("Event"), "A page of events, soonest first"),
                        "400": _error("A parameter the API cannot use"),
                    },
                }
            },
            "/indicators": {
                "get": {
                    "summary": "A site's anonymous indicators for a period",
                    "operationId": "getIndicators",
                    "security": [{"bearer": []}],
                    "parameters": [
                        SITE,
                        _day("from", "The first day (default: the first registration)."),
                        _day("to", "The last day, included (default: today)."),
                    ],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Indicators"}, "The indicators"),
                        "400": _error("A parameter the API cannot use"),
                        "401": _error("No token, or one that was revoked"),
                        "403": _error("The token is for another site"),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token a super-admin created under Open data API.",
                }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "message"],
                            "properties": {
                                "status": {"type": "integer"},
                                "message": {"type": "string"},
                            },
                        }
                    },
                },
                "Posting": {
                    "type": "object",
                    "required": [
                        "id",
                        "kind",
                        "title",
                        "organisation",
                        "city",
                        "site",
                        "start_date",
                        "end_date",
                        "hours_per_week",
                        "places",
                        "free_places",
                        "languages",
                        "areas",
                        "application_deadline",
                        "published_at",
                        "url",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "kind": {"type": "string", "enum": [k.value for k in PostingKind]},
                        "title": {"type": "string"},
                        "organisation": {"type": "string"},
                        "city": {"type": "string"},
                        "site": {"type": "string"},
                        "start_date": {"type": "string", "format": "date"},
                        "end_date": NULLABLE_DATE,
                        "hours_per_week": {"type": "integer"},
                        "places": {"type": "integer", "minimum": 1},
                        "free_places": {"type": "integer", "minimum": 0},
                        "languages": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["language", "min_level"],
                                "properties": {
                                    "language": {"type": "string"},
                                    "min_level": {"type": "string"},
                                },
                            },
                        },
                        "areas": {
                            "type": "array",
                            "items": {"type": "string", "enum": [a.value for a in Expertise]},
                        },
                        "application_deadline": NULLABLE_DATE,
                        "published_at": {
                            "type": "string",
                            "format": "date-time",
                            "nullable": True,
                        },
                        "url": {"type": "string", "format": "uri"},
                    },
                },
                "Event": {
                    "type": "object",
                    "required": [
                        "id",
                        "kind",
                        "title",
                        "site",
                        "venue",
                        "starts_at",
                        "ends_at",
                        "places",
                        "free_places",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "kind": {"type": "string"},
                        "title": {"type": "string"},
                        "site": {"type": "string"},
                        "venue": {"type": "string"},
                        "starts_at": {"type": "string", "format": "date-time"},
                        "ends_at": {"type": "string", "format": "date-time"},
                        "places": {"type": "integer", "minimum": 1},
                        "free_places": {"type": "integer", "minimum": 0},
                    },
                },
                "Indicators": {
                    "type": "object",
                    "required": ["site", "period", "indicators"],
                    "properties": {
                        "site": {"type": "string", "nullable": True},
                        "period": {
                            "type": "object",
                            "required": ["from", "to"],
                            "properties": {
                                "from": {"type": "string", "format": "date"},
                                "to": {"type": "string", "format": "date"},
                            },
                        },
                        "indicators": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Figure"},
                        },
                    },
                },
                "Figure": {
                    "type": "object",
                    "required": ["key", "label", "value", "suppressed", "planned"],
                    "properties": {
                        "key": {"type": "string"},
                        "label": {"type": "string"},
                        "value": {
                            "type": "number",
                            "nullable": True,
                            "description": "None when hidden (fewer than 5 people).",
                        },
                        "suppressed": {"type": "boolean"},
                        "planned": {"type": "number", "nullable": True},
                    },
                },
            },
        },
    }
