"""The moment the user agreed: set by command, by option, or by a matching consent URL."""

import re

from candor.errors import InputError


class InvalidConsentUrl(InputError, ValueError):
    """The consent URL pattern is not a valid regular expression (callers may prefix the option that gave it)."""


class ConsentClock:
    """Labels timestamps before/after consent.

    Unknown (None) while no consent source is configured; once a source exists, every
    moment before consent (or any moment, until consent happens) is "before".
    """

    def __init__(self, consent_at: float | None = None, consent_url: str | None = None) -> None:
        self.consent_at = consent_at
        self.pattern: re.Pattern[str] | None = None
        self.set_url(consent_url)
        self.marked = consent_at is not None

    def set_url(self, consent_url: str | None) -> None:
        """Compile the consent-endpoint regex (InvalidConsentUrl with a one-line reason if invalid)."""
        if not consent_url:
            self.pattern = None
            return
        try:
            self.pattern = re.compile(consent_url)
        except re.error as exc:
            raise InvalidConsentUrl(f"consent URL pattern {consent_url!r} is not a valid regex: {exc}") from None

    def set(self, timestamp: float | None) -> None:
        """Consent given at `timestamp` (None forgets it)."""
        self.consent_at = timestamp
        self.marked = timestamp is not None

    def observe(self, url: str, timestamp: float) -> bool:
        """Record consent if this request is the consent call; True when it was."""
        if self.pattern is not None and self.consent_at is None and self.pattern.search(url):
            self.consent_at = timestamp
            return True
        return False

    @property
    def configured(self) -> bool:
        return self.marked or self.pattern is not None or self.consent_at is not None

    def before(self, timestamp: float) -> bool | None:
        """True before consent, False after, None if nothing tells when consent happened."""
        if self.consent_at is not None:
            return timestamp < self.consent_at
        return True if self.configured else None
