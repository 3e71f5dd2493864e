"""``google.rpc.ErrorInfo.reason`` values, as constants.

:data:`SERVER_REASONS` are the reasons the Accord server sends (domain
``"accord"``); they are the table of ``docs/errors.md``, and a test fails if
the two differ. :data:`CLIENT_REASONS` are raised by this package itself,
before any RPC, with domain :data:`CLIENT_DOMAIN` (``docs/python.md``)::

    try:
        client.list_agreements(filter="knd = TREATY")
    except InvalidArgumentError as e:
        if e.reason == reasons.UNKNOWN_FIELD:
            ...
"""

from __future__ import annotations

from typing import FrozenSet

# -- sent by the server (docs/errors.md) -------------------------------------
INVALID_NAME = "INVALID_NAME"
RESOURCE_NOT_FOUND = "RESOURCE_NOT_FOUND"
INVALID_PAGE_SIZE = "INVALID_PAGE_SIZE"
INVALID_PAGE_TOKEN = "INVALID_PAGE_TOKEN"
PAGE_TOKEN_MISMATCH = "PAGE_TOKEN_MISMATCH"
CATALOG_CHANGED = "CATALOG_CHANGED"
FILTER_SYNTAX = "FILTER_SYNTAX"
UNKNOWN_FIELD = "UNKNOWN_FIELD"
TYPE_MISMATCH = "TYPE_MISMATCH"
FILTER_TOO_COMPLEX = "FILTER_TOO_COMPLEX"
INVALID_ORDER_BY = "INVALID_ORDER_BY"
INVALID_READ_MASK = "INVALID_READ_MASK"
EMPTY_BATCH = "EMPTY_BATCH"
BATCH_TOO_LARGE = "BATCH_TOO_LARGE"
PARENT_MISMATCH = "PARENT_MISMATCH"
TOKEN_MISSING = "TOKEN_MISSING"
TOKEN_REJECTED = "TOKEN_REJECTED"
UNAVAILABLE = "UNAVAILABLE"
SHUTTING_DOWN = "SHUTTING_DOWN"
TOO_MANY_CALLS = "TOO_MANY_CALLS"
INVALID_AS_OF = "INVALID_AS_OF"
ORDER_BY_WITH_AS_OF = "ORDER_BY_WITH_AS_OF"
NOT_YET_SIGNED = "NOT_YET_SIGNED"
INVALID_QUERY = "INVALID_QUERY"
INVALID_COLLECTION = "INVALID_COLLECTION"
FILTER_NEEDS_ONE_COLLECTION = "FILTER_NEEDS_ONE_COLLECTION"
INVALID_GROUP_BY = "INVALID_GROUP_BY"
TOO_MANY_GROUPS = "TOO_MANY_GROUPS"
INVALID_RESUME_TOKEN = "INVALID_RESUME_TOKEN"
RESUME_TOKEN_EXPIRED = "RESUME_TOKEN_EXPIRED"
WATCH_TOO_SLOW = "WATCH_TOO_SLOW"
INVALID_HEARTBEAT_INTERVAL = "INVALID_HEARTBEAT_INTERVAL"
FILTER_FIELD_NOT_WATCHABLE = "FILTER_FIELD_NOT_WATCHABLE"
SEARCH_DISABLED = "SEARCH_DISABLED"

#: Every reason the server sends.
SERVER_REASONS: FrozenSet[str] = frozenset({
    INVALID_NAME, RESOURCE_NOT_FOUND, INVALID_PAGE_SIZE, INVALID_PAGE_TOKEN,
    PAGE_TOKEN_MISMATCH, CATALOG_CHANGED, FILTER_SYNTAX, UNKNOWN_FIELD, TYPE_MISMATCH,
    FILTER_TOO_COMPLEX, INVALID_ORDER_BY, INVALID_READ_MASK, EMPTY_BATCH, BATCH_TOO_LARGE,
    PARENT_MISMATCH, TOKEN_MISSING, TOKEN_REJECTED, UNAVAILABLE, SHUTTING_DOWN,
    TOO_MANY_CALLS, INVALID_AS_OF, ORDER_BY_WITH_AS_OF, NOT_YET_SIGNED, INVALID_QUERY,
    INVALID_COLLECTION, FILTER_NEEDS_ONE_COLLECTION, INVALID_GROUP_BY, TOO_MANY_GROUPS,
    INVALID_RESUME_TOKEN, RESUME_TOKEN_EXPIRED, WATCH_TOO_SLOW, INVALID_HEARTBEAT_INTERVAL,
    FILTER_FIELD_NOT_WATCHABLE,
    SEARCH_DISABLED,
})

# -- raised by this client before calling (docs/python.md) -------------------
#: The domain of errors this package raises itself.
CLIENT_DOMAIN = "accord-client"
#: A collection id that names no collection (``client.list("agreementz")``).
UNKNOWN_COLLECTION = "UNKNOWN_COLLECTION"
#: A value of the wrong Python type (``batch_get_agreements("x")``).
INVALID_TYPE = "INVALID_TYPE"
#: A number out of range (negative ``page_size``, ``timeout`` or ``limit``).
OUT_OF_RANGE = "OUT_OF_RANGE"

#: Every reason this package raises itself (with :data:`CLIENT_DOMAIN`); a
#: malformed name is :data:`INVALID_NAME`, ``as_of`` for a collection without
#: it :data:`INVALID_AS_OF` and a blank search query :data:`INVALID_QUERY`,
#: as from the server.
CLIENT_REASONS: FrozenSet[str] = frozenset({
    UNKNOWN_COLLECTION, INVALID_TYPE, OUT_OF_RANGE, INVALID_NAME, INVALID_AS_OF, INVALID_QUERY,
})
