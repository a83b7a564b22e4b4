// An identifier the reader $agency may see, for a review of its quarantine
// (graphapi/security/quarantine_review.py): its labels, and whether it is quarantined for the reader
// (fragment quarantined). No row for a missing or hidden id.
// mode: read
// param $id: str - Lintas node id
// param $agency: str|null - reader's agency
// returns: id, labels: list[str], quarantined: bool
MATCH (i:Entity {id: $id})
WHERE {{visible(i)}}
RETURN i.id AS id, labels(i) AS labels, {{quarantined(i)}} AS quarantined
