"""Excel import: reading officers' own sheets, finding the header, mapping columns, legacy-encoding repair."""
