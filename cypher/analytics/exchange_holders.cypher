// The exchanges holding some accounts or wallets, as the reader sees them (moneyTrail's end
// points): an Organization flagged `exchange`, visible, tied to the account or wallet by a
// visible HOLDS_ACCOUNT, CONTROLS_WALLET or OWNS from it, or an account's AT_BANK to it (an
// account kept at an exchange flagged so, as a bank). Another agency's hidden exchange, or a hidden
// link to a visible one, makes nothing an exchange for this reader. Several exchanges: the one of
// the smallest id (an organisation is never shown as a victim's token, so its id may order).
// mode: read
// param $ids: list[str] - account or wallet ids a trail reached (already read as visible)
// param $agency: str|null - viewer's agency (visibility of the exchange and its link)
// returns: id, exchange (the organisation's id), link {id, start, end} (the holding relationship)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
WITH a
MATCH (o:Organization)-[r:HOLDS_ACCOUNT|CONTROLS_WALLET|OWNS|AT_BANK]-(a)
WHERE o.exchange = true
  AND (type(r) = 'AT_BANK') = (startNode(r) = a)
  AND {{visible(o)}}
  AND {{visible(r)}}
WITH a, o, r
ORDER BY o.id, r.id
WITH a, collect({exchange: o.id, link: {id: r.id, start: startNode(r).id, end: endNode(r).id}})[0] AS first
RETURN a.id AS id, first.exchange AS exchange, first.link AS link
