"""Model calls: versioned prompts (package data), the call path with budget and usage, the response cache."""
