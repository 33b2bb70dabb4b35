"""Input bytes to `Article`: decoding, HTML to text, site chrome, title/source/date, offset map."""
