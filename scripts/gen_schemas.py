"""Write docs/schemas/<name>.schema.json for every shared model (run after changing a model)."""

from pathlib import Path

from candor.schemas import available, schema_json

OUT = Path(__file__).resolve().parent.parent / "docs" / "schemas"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in sorted(available()):
        (OUT / f"{name}.schema.json").write_text(schema_json(name), encoding="utf-8")
        print(f"docs/schemas/{name}.schema.json")


if __name__ == "__main__":
    main()
