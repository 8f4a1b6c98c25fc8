"""The error types of madoguchi: what a person can act on, and what is a bug.

A :class:`UserError` carries a message for the person at the counter (or IT staff): what
happened and what to do, in Japanese. Windows show it in their message line, the command
line prints it as one line and exits 2. Callers that must decide something catch a
subclass, never the message text: :class:`ConfirmationNeeded` asks the floor manager a
yes/no question before the same action is repeated with the confirmation given.

Anything else that escapes is a bug: the command line logs its trace and exits 70, the
windows log it through ``sys.excepthook`` and say so calmly. :class:`BugError` names a
broken promise of the program itself where one is detected on purpose.
"""

from __future__ import annotations

from app.core.mynumber import redact


class UserError(Exception):
    """A problem the user can fix or act on; ``str(error)`` is the message for them.

    The message never echoes a My Number back: any in it is masked (:func:`redact`), so
    a refusal that names what was typed is safe to show, print and log.

    Args:
        message: the message in Japanese (what the command line prints).
        en: the same in English, for a window shown in English (:meth:`in_language`);
            without it an English window shows the Japanese one.
    """

    def __init__(self, message: str = "", en: str | None = None) -> None:
        super().__init__(message)
        self.en = en

    def __str__(self) -> str:
        return redact(super().__str__())

    def in_language(self, lang: str) -> str:
        """Returns the message in ``ja`` or ``en`` (Japanese when there is no English)."""
        if lang == "en" and self.en:
            return redact(self.en)
        return str(self)


class InputError(UserError, ValueError):
    """A value typed, chosen or imported that cannot be used (the message names it)."""


class ConfirmationNeeded(UserError):
    """The action needs a person's confirmation first; ``str(error)`` is the question.

    Repeat the action with the confirmation given (each raiser names its flag, e.g.
    ``confirm_late=True``) when the person agrees.
    """


class BugError(Exception):
    """The program broke one of its own promises; logged with its trace, never shown as the
    user's fault."""
