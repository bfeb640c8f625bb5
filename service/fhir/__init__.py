"""FHIR R4 in: prefetch resources read into the profile input every front door uses (the engine never sees FHIR)."""
