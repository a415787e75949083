"""One error base for the whole product.

Every error a user can cause or meet (a bad file, a missing build, a query that is too long, a
template that cannot be read) is a :class:`KbError` whose message names the file or parameter and
the reason. The CLI turns any ``KbError`` into one clear message and exit code 2; anything else is
a bug and keeps its traceback.
"""

from __future__ import annotations


class KbError(Exception):
    """An error with a message meant for the user (file or parameter, and the reason)."""
