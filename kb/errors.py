"""One error base for the whole product.

Every error a user can cause or meet (a bad file, a missing build, a query that is too long, a
template that cannot be read) is a :class:`KbError` whose message names the file or parameter and
the reason. The CLI turns any ``KbError`` into one clear message and its ``exit_code`` (2) in one
place (``kb.cli.common.KbGroup``); the server turns the ones it expects into a 4xx/503 answer.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class KbError(Exception):
    """An error with a message meant for the user (file or parameter, and the reason)."""

    #: The exit code of the ``kb`` command this error ends: 2, a usage or input error.
    exit_code: int = 2
