// Withdraw dataset sources ("<source>:<dataset>") from nodes whose statements under them a MOD no
// longer naming those datasets is about to delete (graphapi/ingest/dataset_moves.py; attack round
// a-83, F9: a Person MOD'd from ds1 to ds2 kept ftm:ds1 in its sources). Written before the
// statements go, so a load killed between finds the statements again and withdraws the same.
// mode: write
// param $rows: list[{entity: str, sources: list[str]}] - a Lintas node id and the sources to withdraw
// returns: one row {id} per node written
UNWIND $rows AS row
MATCH (n:Entity {id: row.entity})
WHERE any(x IN coalesce(n.sources, []) WHERE x IN row.sources)
SET n.sources = [x IN n.sources WHERE NOT x IN row.sources]
RETURN n.id AS id
