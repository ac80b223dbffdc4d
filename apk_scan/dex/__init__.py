"""A minimal, fast DEX reader: id tables, class data and targeted bytecode scanning."""
