"""An error that knows how it is answered: a code, a translated message and an HTTP status.

Apps raise subclasses (``platform.tokens.PrivateLinkError``); the API's exception handler
(:mod:`entraide.core.api`) answers them in the shared error shape without knowing them.
"""


class CodedError(Exception):
    """A refusal with a stable ``code`` and a ``message`` for the person; 400 unless a
    subclass says otherwise."""

    def __init__(self, code: str, message) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self) -> int:
        return 400
