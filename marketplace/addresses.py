"""Addresses as people write them: the city is added unless the address already names it."""

from __future__ import annotations

from marketplace.search import normalise_for_search


def with_city(address: str, city: str) -> str:
    """``"Brīvības iela 1, Rīga"`` from the two fields, but never ``"Rīga, Rīga"``."""
    address, city = (address or "").strip().rstrip(","), (city or "").strip()
    if not city:
        return address
    if not address:
        return city
    plain_address, plain_city = normalise_for_search(address), normalise_for_search(city)
    before = plain_address[: -len(plain_city)]
    if plain_address.endswith(plain_city) and not before[-1:].isalnum():
        return address
    return f"{address}, {city}"
