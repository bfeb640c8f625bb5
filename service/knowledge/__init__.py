"""Knowledge loading: YAML source -> validated records -> SQLModel store -> in-memory index."""
