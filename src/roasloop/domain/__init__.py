"""Pure domain: models, money, enums, metrics, structure planning. No I/O."""
