"""Briefing memos: memo model, overview, executive note, rendering, evidence viewer, templates, exports."""
