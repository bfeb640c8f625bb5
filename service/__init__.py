"""tki-cds: clinical decision support for tyrosine kinase inhibitor combination therapy."""
