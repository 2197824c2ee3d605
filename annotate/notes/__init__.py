"""Notes: reading note files, refusing active content, checking references, locating, attaching."""
