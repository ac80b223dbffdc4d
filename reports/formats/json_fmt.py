"""report.json: the AuditReport model as JSON (schema: docs/schemas/report.schema.json)."""

import json

from reports.model import AuditReport


class JsonFormat:
    name = "json"
    suffix = ".json"

    def render(self, report: AuditReport) -> bytes:
        return (json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
