"""Reading files at the edge: signal imports and ad dumps, streamed, with line numbers for errors."""
