"""Input readers: one per input kind, each turning what a caller wrote into the knowledge base's terms.

Every reader looks terms up exactly (after folding case, spacing and notation) and reports how it
read the entry; words it does not understand make the entry not recognised, with the reason.
Nothing is mapped by similarity.
"""
