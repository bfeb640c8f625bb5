"""The HTTP layer: thin routes that parse, call the engine and shape the response."""
