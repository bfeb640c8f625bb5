"""The CDS Hooks 2.0 door: discovery, service calls, cards, feedback and client JWT checks."""
