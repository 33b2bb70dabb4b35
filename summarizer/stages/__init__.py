"""Pure pipeline stages: chunking, candidates, locality, grounding, merge, extractive text, domains, drafts, and the one-chunk model extraction."""
