"""Core data and rules every layer shares: the schema models, errors, config, text and figure normalization."""
