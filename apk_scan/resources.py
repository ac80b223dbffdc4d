"""Resolve manifest resource references (`@7F0B0001`) through resources.arsc: our small reader first,
androguard's full parser only for what it cannot resolve (and when the table is small enough)."""

from apk_scan.androguard_logs import quiet_androguard
from apk_scan.arsc import ArscTable

MAX_ARSC = 8 * 1024 * 1024  # parsing a huge table with androguard costs seconds


class ResourceTable:
    """Lazy androguard ARSCParser over resources.arsc bytes."""

    def __init__(self, raw: bytes | None) -> None:
        self._raw = raw
        self._parser = None
        self._failed = raw is None or len(raw) > MAX_ARSC
        self._table = ArscTable(raw)

    def _get(self):
        if self._parser is None and not self._failed:
            with quiet_androguard():
                from androguard.core.axml import ARSCParser

                try:
                    self._parser = ARSCParser(self._raw)
                except Exception:  # androguard raises many kinds on odd tables
                    self._failed = True
        return self._parser

    @staticmethod
    def reference(value: str | None) -> int | None:
        if not value or not value.startswith("@"):
            return None
        try:
            return int(value[1:].split(":")[-1], 16)
        except ValueError:
            return None

    def _lookup(self, value: str | None, method: str) -> object | None:
        """Call androguard's resource parser `method` on the reference in `value`; None if it can't."""
        res_id = self.reference(value)
        parser = self._get() if res_id is not None else None
        if parser is None:
            return None
        with quiet_androguard():
            try:
                return getattr(parser, method)(res_id)
            except Exception:
                return None

    def string(self, value: str | None) -> str | None:
        """The default-config string a reference points to, else the value itself."""
        res_id = self.reference(value)
        quick = self._table.string(res_id) if res_id is not None else None
        if quick:
            return quick
        for _, resolved in self._lookup(value, "get_resolved_res_configs") or ():
            if isinstance(resolved, str) and resolved:
                return resolved
        return value

    def xml_name(self, value: str | None) -> str | None:
        """`@xml/network_security_config`-style name of a reference, else the value itself."""
        res_id = self.reference(value)
        quick = self._table.name(res_id) if res_id is not None else None
        if quick:
            return quick
        name = self._lookup(value, "get_resource_xml_name")
        if not isinstance(name, str):
            return value
        if name and name.startswith("@") and ":" in name:
            name = "@" + name.split(":", 1)[1]
        return name or value
