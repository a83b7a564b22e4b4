"""Identifiers that join what is the same across feeds: identity documents
(:mod:`.documents`), bank accounts and banks (:mod:`.accounts`), and the gazetteers of banks,
border checkpoints and scam compounds in ``seed/gazetteers`` (:mod:`.gazetteer`)."""
