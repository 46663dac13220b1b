"""The news database: engine resolution and the migrator."""
