"""JSON Schemas of the shared models, generated from the pydantic classes."""

import importlib
import json
from typing import Any

# name -> "module:Class"; the report envelope lives with the reports part.
SCHEMA_MODELS: dict[str, str] = {
    "declared": "candor.model.declared:DeclaredTable",
    "scan": "candor.model.static:StaticScan",
    "observation": "candor.model.traffic:TrafficObservation",
    "finding": "candor.model.findings:Finding",
    "report": "reports.model:AuditReport",
}


def available() -> dict[str, Any]:
    """name -> model class, for every model whose part is installed."""
    models = {}
    for name, target in SCHEMA_MODELS.items():
        module_name, class_name = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        model = getattr(module, class_name, None)
        if model is not None:
            models[name] = model
    return models


def schema_json(name: str) -> str:
    """The JSON Schema text of one model, stable for committing to docs/."""
    model = available()[name]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"candor:{name}"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
